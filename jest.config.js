/** Unit tests (`*.test.ts`) and integration tests (`*.int.test.ts`, real PostgreSQL/Neo4j/Redis) run together. */
module.exports = {
  // node, with the main realm's typed arrays (onnxruntime-node checks them; see the file).
  testEnvironment: '<rootDir>/tests/support/onnx-environment.js',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/knowledge-graph/launcher/target/', '/.data/'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest'] },
  // These packages ship ES modules only; swc turns them into CommonJS for jest's module system.
  transformIgnorePatterns: ['/node_modules/(?!(node-pg-migrate|content-disposition|jose)/)'],
  globalSetup: '<rootDir>/tests/global-setup.ts',
  globalTeardown: '<rootDir>/tests/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
