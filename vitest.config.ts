import { defineConfig } from 'vitest/config'

// Two projects: `unit` is pure and fast; `integration` talks to a real PostgreSQL
// (DATABASE_URL's server when set, else an embedded one) and real local SMTP/HTTP servers.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
    ],
  },
})
