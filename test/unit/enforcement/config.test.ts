import { loadEnforcerDeps } from '../../../lambda/enforcement/enforcer/config';
import { MissingEnvironmentError } from '../../../lambda/shared/env';
import { settings } from './fixtures';

describe('loadEnforcerDeps', () => {
  const env = {
    GOVREC_ACCOUNT_ID: '111111111111',
    RESTRICTED_TAG_KEY: 'govrec:category',
    RESTRICTED_TAG_VALUE: 'police',
    INTAKE_BUCKET_ARN: 'arn:aws:s3:::govrec-intake',
  };
  beforeEach(() => {
    process.env.GOVREC_SETTINGS = JSON.stringify(settings);
  });
  afterEach(() => {
    delete process.env.GOVREC_SETTINGS;
  });

  it('reads the compiled-in settings, account, tag and intake bucket', () => {
    const deps = loadEnforcerDeps(env);

    expect(deps).toEqual(
      expect.objectContaining({
        accountId: '111111111111',
        restrictedTag: { key: 'govrec:category', value: 'police' },
        intakeBucketArn: 'arn:aws:s3:::govrec-intake',
      }),
    );
    expect(deps.settings.moratorium.end).toBe('2028-06-10T00:00:00.000Z');
  });

  it.each(['GOVREC_ACCOUNT_ID', 'RESTRICTED_TAG_KEY', 'RESTRICTED_TAG_VALUE', 'INTAKE_BUCKET_ARN'])(
    'names %s when it is missing',
    (key) => {
      const partial: Record<string, string> = { ...env };
      delete partial[key];

      expect(() => loadEnforcerDeps(partial)).toThrow(new MissingEnvironmentError(key));
    },
  );
});
