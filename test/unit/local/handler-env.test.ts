import { handlerEnvironment, withEnvironment } from '../../../local/handler-env';

describe('handlerEnvironment', () => {
  it('layers template variables, stand-in endpoints and overrides, later winning, without process-level variables', () => {
    const env = handlerEnvironment(
      { environment: { NODE_OPTIONS: '--enable-source-maps', AUDIT_TABLE_NAME: 'Audit', POWERTOOLS_LOG_LEVEL: 'INFO' } },
      [{ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1' }, { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:2' }],
      { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    );
    expect(env).toEqual({ AUDIT_TABLE_NAME: 'Audit', POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:2' });
  });
});

describe('withEnvironment', () => {
  it('applies the variables while loading and restores them afterwards', async () => {
    process.env.GOVREC_TEST_KEEP = 'before';
    delete process.env.GOVREC_TEST_NEW;
    const seen = await withEnvironment({ GOVREC_TEST_KEEP: 'during', GOVREC_TEST_NEW: 'x' }, () => [process.env.GOVREC_TEST_KEEP, process.env.GOVREC_TEST_NEW]);
    expect(seen).toEqual(['during', 'x']);
    expect(process.env.GOVREC_TEST_KEEP).toBe('before');
    expect('GOVREC_TEST_NEW' in process.env).toBe(false);
  });

  it('restores the variables when loading throws', async () => {
    delete process.env.GOVREC_TEST_NEW;
    await expect(withEnvironment({ GOVREC_TEST_NEW: 'x' }, () => { throw new Error('module failed'); })).rejects.toThrow('module failed');
    expect('GOVREC_TEST_NEW' in process.env).toBe(false);
  });
});
