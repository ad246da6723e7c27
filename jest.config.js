/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    // @middy/core is ESM-only: compile it to CommonJS so the handlers run through the real middy chain.
    '^.+/node_modules/@middy/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  setupFiles: ['<rootDir>/test/helpers/setup-env.ts'],
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  testTimeout: 60000,
  // `npm run coverage`: what the unit and workflow tests execute of the deployed functions.
  collectCoverageFrom: ['lambda/**/*.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
  // Just under the figures measured on 2026-12-07 (98.3% statements, 90.5% branches): a drop fails.
  coverageThreshold: { global: { statements: 98, branches: 90 } },
};
