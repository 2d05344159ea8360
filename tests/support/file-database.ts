// A setup file of the integration project: runs in every test file, so each file's
// database is dropped when the file ends, even though a worker keeps its modules
// loaded from one file to the next (isolate: false in vitest.config.ts).
import { afterAll } from 'vitest'
import { releaseTestDatabase } from './db'

afterAll(releaseTestDatabase)
