// The Prisma client (Rust-free Prisma 7 client over node-postgres through adapter-pg).
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { type Prisma as P, PrismaClient } from '../../prisma/generated/client'

export type Db = PrismaClient
export { Prisma } from '../../prisma/generated/client'

/** The node-postgres pool under each client createPrisma made (the adapter's own connections). */
const pools = new WeakMap<Db, pg.Pool>()

export function createPrisma(connectionString: string, opts: { poolSize?: number } = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: opts.poolSize ?? 10,
    // Fail fast on an unreachable server instead of hanging a start or a readiness probe.
    connectionTimeoutMillis: 5_000,
  })
  // $disconnect ends the pool, as it did when the adapter made it. A transaction waits up to
  // 10 s to start (Prisma's default is 2 s): on a busy machine, getting a pooled connection and
  // its BEGIN took longer than 2 s, and a batch of deliveries failed with "Unable to start a
  // transaction in the given time" instead of waiting its turn; 10 s is above the pool's 5 s
  // connect timeout, so an unreachable server still fails as itself.
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    transactionOptions: { maxWait: 10_000 },
  })
  pools.set(prisma, pool)
  return prisma
}

/**
 * Runs a `Prisma.sql` statement on the client's own pool, without the client: the delivery
 * loop's per-message statements (claims, result records, send slots) run hundreds of times a
 * second, and a `$queryRaw` cost ~240 µs of CPU and ~1.1 ms of wall against ~55 µs and
 * ~0.3 ms for the same statement through node-postgres (2,000 calls each, load 20). Values
 * come back as node-postgres parses them: select dates as `::text`, counts as `::int`.
 */
export async function sqlRows<T>(db: Db, sql: P.Sql): Promise<T[]> {
  return (await onPool(db, sql)).rows as T[]
}

/** sqlRows for a statement without rows: how many it changed. */
export async function sqlExecute(db: Db, sql: P.Sql): Promise<number> {
  return (await onPool(db, sql)).rowCount ?? 0
}

function onPool(db: Db, sql: P.Sql): Promise<pg.QueryResult> {
  const pool = pools.get(db)
  if (!pool) throw new Error('sqlRows needs a client made by createPrisma')
  return pool.query(sql.text, sql.values as unknown[])
}
