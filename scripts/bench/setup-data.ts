// Child process of the benchmark: migrates the scratch database, seeds the topics, stores
// the 50-paper day and generates the readers. It runs apart so that the measured process's
// peak memory is the daily run's, not the schema engine's or the reader generator's.
// Prints one JSON line: { papers, readers, seconds }.
import { loadConfig } from '../../src/config/env'
import { openDatabase } from '../../src/db/database'
import { generateReaders, insertReaders } from '../../src/subscribers/synthetic-readers'
import { storeBenchDay } from './bench-day'

const readers = Number(process.argv[2])
if (!Number.isInteger(readers) || readers < 1)
  throw new Error('usage: setup-data.ts READERS (DATABASE_URL set)')
const db = await openDatabase(loadConfig(), { migrate: true })
try {
  const started = performance.now()
  const papers = await storeBenchDay(db.prisma)
  const slugs = (await db.prisma.topic.findMany({ select: { slug: true } })).map((t) => t.slug)
  await insertReaders(db.prisma, generateReaders(readers, slugs, 42))
  console.log(JSON.stringify({ papers, readers, seconds: (performance.now() - started) / 1000 }))
} finally {
  await db.close()
}
