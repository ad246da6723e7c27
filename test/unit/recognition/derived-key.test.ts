import fc from 'fast-check';
import { boundedKey, MAX_KEY_BYTES, utf8Prefix } from '../../../lambda/recognition/derived-key';
import { quarantineKeyFor } from '../../../lambda/recognition/quarantine';
import { resultKeyFor } from '../../../lambda/recognition/results';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('derived keys', () => {
  it('leaves a key that fits unchanged', () => {
    expect(quarantineKeyFor('thorn-like', 'detect/photo.jpg')).toBe('quarantine/thorn-like/detect/photo.jpg');
    expect(resultKeyFor('thorn-like', 'detect/photo.jpg')).toBe('results/thorn-like/detect/photo.jpg.json');
  });

  it('keeps every derived key of an intake key within 1,024 bytes, distinct for distinct keys and stable', () => {
    const rest = fc
      .array(fc.constantFrom('a', '界', '😀', 'é', ' ', '/'), { minLength: 300, maxLength: 1100 })
      .map((chars) => `detect/${chars.join('')}`)
      .filter((text) => bytes(`incoming/ngo/${text}`) <= MAX_KEY_BYTES);
    fc.assert(
      fc.property(rest, rest, (a, b) => {
        for (const derive of [(r: string) => quarantineKeyFor('ngo', r), (r: string) => resultKeyFor('ngo', r)]) {
          expect(bytes(derive(a))).toBeLessThanOrEqual(MAX_KEY_BYTES);
          expect(derive(a)).toBe(derive(a));
          if (a !== b) expect(derive(a)).not.toBe(derive(b));
          // No character cut in half: the key survives a UTF-8 round trip.
          expect(Buffer.from(derive(a), 'utf8').toString('utf8')).toBe(derive(a));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never splits a character when it shortens', () => {
    expect(utf8Prefix('a界b', 3)).toBe('a');
    expect(utf8Prefix('a界b', 4)).toBe('a界');
    expect(utf8Prefix('😀x', 3)).toBe('');
  });

  it('ends a shortened key in a hash and keeps the suffix', () => {
    const key = boundedKey('results/ngo/', '界'.repeat(400), '.json');
    expect(key).toMatch(/~[0-9a-f]{32}\.json$/);
    expect(bytes(key)).toBeLessThanOrEqual(MAX_KEY_BYTES);
  });
});
