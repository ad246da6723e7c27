import { unsupportedNode } from '../../../local/node-version';

describe('unsupportedNode', () => {
  it.each([
    ['20.20.2', true],
    ['21.7.3', true],
    ['22.0.0', false],
    ['24.22.3', false],
  ])('judges Node %s too old: %s', (version, tooOld) => {
    const answer = unsupportedNode('govrec', version);
    expect(answer !== undefined).toBe(tooOld);
    if (tooOld) expect(answer).toContain('source .ci/node/env.sh');
  });
});
