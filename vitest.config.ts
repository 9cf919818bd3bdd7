import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'e2e/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // the CLI tests run the real bin: compile apps/cli/dist first when it is stale
    // and one folder for the PostgreSQL clusters of the run, stopped and removed at its end
    globalSetup: ['test-support/build-cli.ts', 'test-support/postgres-clusters.ts'],
  },
})
