import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

const WORKERS = Math.max(3, availableParallelism())

// Two projects: `unit` is pure and fast; `integration` talks to a real PostgreSQL
// (DATABASE_URL's server when set, else an embedded one) and real local SMTP/HTTP servers.
export default defineConfig({
  test: {
    // Vitest runs (cores − 1) files at once by default: one on a 2-core machine. Most files
    // mostly wait — on child processes, PostgreSQL, SMTP exchanges — and each integration
    // file has a database of its own (tests/support/db.ts), so several run side by side.
    maxWorkers: WORKERS,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // Pure tests: a worker runs its files in one module graph instead of importing the
          // app afresh for each (import was most of a unit file's time). Not for integration:
          // its support modules hold the file's database.
          isolate: false,
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
