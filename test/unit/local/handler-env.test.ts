import { applyEnvironment, handlerEnvironment } from '../../../local/handler-env';

describe('handlerEnvironment', () => {
  it('layers template variables, stand-in endpoints and overrides, later winning, without process-level variables', () => {
    const env = handlerEnvironment(
      {
        environment: { NODE_OPTIONS: '--enable-source-maps', AUDIT_TABLE_NAME: 'Audit', POWERTOOLS_LOG_LEVEL: 'INFO' },
      },
      [{ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1' }, { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:2' }],
      { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    );
    expect(env).toEqual({
      AUDIT_TABLE_NAME: 'Audit',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:2',
    });
  });
});

describe('applyEnvironment', () => {
  it('sets the variables until the returned function restores the previous ones', () => {
    process.env.GOVREC_TEST_KEEP = 'before';
    delete process.env.GOVREC_TEST_NEW;
    const restore = applyEnvironment({ GOVREC_TEST_KEEP: 'during', GOVREC_TEST_NEW: 'x' });
    expect([process.env.GOVREC_TEST_KEEP, process.env.GOVREC_TEST_NEW]).toEqual(['during', 'x']);
    restore();
    expect(process.env.GOVREC_TEST_KEEP).toBe('before');
    expect('GOVREC_TEST_NEW' in process.env).toBe(false);
  });
});
