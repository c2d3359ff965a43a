/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  // The package's own entries, as a consumer imports them (tsconfig `paths` does the same for tsc).
  moduleNameMapper: {
    '^k8s-iac$': '<rootDir>/src/library/index.ts',
    '^k8s-iac/testing$': '<rootDir>/src/library/testing/index.ts',
  },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
