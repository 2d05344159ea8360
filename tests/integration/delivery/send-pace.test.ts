// The shared send schedule (SendPace) on a real database: three schedules that each take
// slots as fast as they are given, as three workers would, together stay at the rate; an
// idle spell saves up at most the burst; slots a worker let pass are not sent late.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { reserveSlots, SharedPace } from '../../../src/delivery/send-pace'
import { testPrisma } from '../../support/db'

let prisma: Db
beforeAll(async () => {
  prisma = await testPrisma()
})
afterAll(async () => {
  await prisma.sendPace.deleteMany()
})

/** Takes slots and "sends" at each until `until` (a local time); returns the send times. */
async function sendUntil(pace: SharedPace, until: number): Promise<number[]> {
  const times: number[] = []
  for (;;) {
    const wait = await pace.take()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    const at = Date.now()
    if (at >= until) return times
    times.push(at)
  }
}

describe('SendPace', () => {
  it('holds three greedy workers together to the rate (50/s ± 10 %), not three times it', async () => {
    const rate = 50
    const burst = 5
    const name = 'test-three'
    const paces = [1, 2, 3].map(() => new SharedPace(prisma, { rate, burst, name }))
    // Connected first: under load the first connection alone can take most of a second.
    await prisma.$queryRaw`SELECT 1`
    const started = Date.now()
    const seconds = 4
    const times = (await Promise.all(paces.map((p) => sendUntil(p, started + seconds * 1000)))).map(
      (t) => t.length,
    )
    const total = times.reduce((a, b) => a + b, 0)
    console.info(`three schedules at ${rate}/s for ${seconds} s: ${times.join(' + ')} = ${total}`)
    for (const n of times) expect(n).toBeGreaterThan(total / 10)
    // The first burst may go at once; after it, the rate.
    expect(total).toBeLessThanOrEqual(rate * seconds * 1.1 + burst)
    expect(total).toBeGreaterThanOrEqual(rate * seconds * 0.9)
  })

  it('lets an idle schedule send at most its burst at once', async () => {
    const name = 'test-idle'
    // Reserved long ago (the schedule's time lies far in the past).
    await reserveSlots(prisma, { name, count: 1, intervalMs: 100, toleranceMs: 300 })
    await prisma.$executeRaw`UPDATE "SendPace" SET "nextAt" = "nextAt" - interval '1 hour' WHERE name = ${name}`
    const r = await reserveSlots(prisma, { name, count: 10, intervalMs: 100, toleranceMs: 300 })
    const first = r.firstAt - r.dbNow
    // The ten slots start 300 ms in the past: three go at once, the rest 100 ms apart.
    expect(first).toBeGreaterThan(-320)
    expect(first).toBeLessThan(-250)
  })

  it('does not send slots it let pass later', async () => {
    const pace = new SharedPace(prisma, { rate: 20, burst: 1, reserve: 10, name: 'test-stale' })
    expect(await pace.take()).toBe(0)
    // This worker stalls: its nine other slots (50 ms apart) have passed long ago.
    await new Promise((r) => setTimeout(r, 1_000))
    const waits: number[] = []
    for (let i = 0; i < 4; i++) waits.push(await pace.take())
    // It reserves afresh rather than sending the nine at once: after the burst, 50 ms apart.
    expect(waits[3]!).toBeGreaterThanOrEqual(30)
  })

  it('refuses a rate or burst that is not positive', () => {
    expect(() => new SharedPace(prisma, { rate: 0, burst: 1 })).toThrow(/rate/)
    expect(() => new SharedPace(prisma, { rate: 5, burst: 0 })).toThrow(/burst/)
  })
})
