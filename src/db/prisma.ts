// The Prisma client (Rust-free Prisma 7 client over node-postgres through adapter-pg).
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '../../prisma/generated/client'

export type Db = PrismaClient
export { Prisma } from '../../prisma/generated/client'

export function createPrisma(connectionString: string, opts: { poolSize?: number } = {}): Db {
  const adapter = new PrismaPg({
    connectionString,
    max: opts.poolSize ?? 10,
    // Fail fast on an unreachable server instead of hanging a start or a readiness probe.
    connectionTimeoutMillis: 5_000,
  })
  return new PrismaClient({ adapter })
}
