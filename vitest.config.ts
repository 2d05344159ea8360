import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'
import UnitFirst from './tests/support/sequencer'

const WORKERS = Math.max(3, availableParallelism())

// Two projects: `unit` is pure and fast; `integration` talks to a real PostgreSQL
// (DATABASE_URL's server when set, else an embedded one) and real local SMTP/HTTP servers.
export default defineConfig({
  test: {
    // Vitest runs (cores − 1) files at once by default: one on a 2-core machine. Most files
    // mostly wait — on child processes, PostgreSQL, SMTP exchanges — and each integration
    // file has a database of its own (tests/support/db.ts), so several run side by side.
    maxWorkers: WORKERS,
    sequence: { sequencer: UnitFirst },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // A worker runs its files in one module graph instead of importing the app afresh
          // for each (import was most of a unit file's time).
          isolate: false,
          // A timeout only catches a hang here: these files run beside the integration
          // project's start, and a CPU-bound test can wait seconds for a core.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          setupFiles: ['tests/support/file-database.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          // As for unit: importing the app afresh in every file was a third of the
          // project's CPU. Each file still gets a database of its own: the set-up file
          // drops it when the file ends, and the next file's first use creates another.
          isolate: false,
        },
      },
    ],
  },
})
