import { GovrecError } from '../../../lambda/shared/errors';

class ParentError extends GovrecError {}
class ChildError extends ParentError {}

describe('GovrecError', () => {
  it('takes its name from the class that is thrown', () => {
    const error = new ChildError('boom');
    expect(error.name).toBe('ChildError');
    expect(String(error)).toBe('ChildError: boom');
    expect(error).toBeInstanceOf(ParentError);
    expect(error).toBeInstanceOf(Error);
  });

  it('passes the cause on', () => {
    const cause = new Error('root');
    expect(new ParentError('wrapped', { cause }).cause).toBe(cause);
  });
});
