// Child process of the benchmarks: migrates the scratch database, seeds the topics and fills
// it. It runs apart so that the measured process's peak memory is the daily run's, not the
// schema engine's or the generator's. Prints one JSON line: { papers, readers, seconds, … }.
//   setup-data.ts READERS                 the 50-paper day and Node-generated readers (the dashboard's)
//   setup-data.ts READERS week SHARE DAYS the realistic list: the week of lists, SQL-generated
//                                         readers (SHARE weekly) and DAYS previous days sent (6)
import { loadConfig } from '../../src/config/env'
import { openDatabase } from '../../src/db/database'
import { generateReaders, insertReaders } from '../../src/subscribers/synthetic-readers'
import { storeBenchDay } from './bench-day'
import { historyDays, PREVIOUS_DAYS, storeBenchWeek } from './bench-week'
import { insertSentHistory } from './sent-history'
import { insertSqlReaders } from './sql-readers'

const readers = Number(process.argv[2])
const mode = process.argv[3] ?? 'day'
const weeklyShare = Number(process.argv[4] ?? 0.2)
const days = Number(process.argv[5] ?? PREVIOUS_DAYS.length)
if (
  !Number.isInteger(readers) ||
  readers < 1 ||
  !['day', 'week'].includes(mode) ||
  !(weeklyShare >= 0 && weeklyShare <= 1)
)
  throw new Error('usage: setup-data.ts READERS [day | week SHARE] (DATABASE_URL set)')
const db = await openDatabase(loadConfig(), { migrate: true })
try {
  const started = performance.now()
  const lap = () => Math.round((performance.now() - started) / 100) / 10
  if (mode === 'day') {
    const papers = await storeBenchDay(db.prisma)
    const slugs = (await db.prisma.topic.findMany({ select: { slug: true } })).map((t) => t.slug)
    await insertReaders(db.prisma, generateReaders(readers, slugs, 42))
    console.log(JSON.stringify({ papers, readers, seconds: (performance.now() - started) / 1000 }))
  } else {
    const papers = await storeBenchWeek(db.prisma)
    await insertSqlReaders(db.prisma, { readers, weeklyShare })
    const readersAt = lap()
    const history = await insertSentHistory(db.prisma, historyDays(days))
    const historyAt = lap()
    // Statistics and a visibility map as a live database has them (autovacuum gets there later).
    await db.prisma.$executeRawUnsafe(
      'VACUUM ANALYZE "Subscriber", "SubscriberTopic", "Interest", "Delivery", "DeliveryReason"',
    )
    console.log(
      JSON.stringify({
        papers,
        readers,
        historyDays: days,
        historyDeliveries: history,
        seconds: (performance.now() - started) / 1000,
        secondsBy: { readers: readersAt, history: historyAt - readersAt, vacuum: lap() - historyAt },
      }),
    )
  }
} finally {
  await db.close()
}
