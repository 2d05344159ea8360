// Each reader's email at their own hour, with an injected clock: readers in eleven zones
// from UTC−10 to UTC+14 (half- and quarter-hour ones too) are planned once per day at the
// cron time, then delivery runs on a simulated clock that moves one poll interval at a
// time. Every email must go out in the first poll at or after its reader's hour — or at
// once, when the hour had passed before the day was planned — and exactly once. The days
// straddle both 2026 DST changes in Europe and in the US, and one reader moves from New
// York to Tokyo between two days.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { deliverDue, startWorker } from '../../../src/delivery/worker'
import { createDeps } from '../../../src/deps'
import { planDigest } from '../../../src/digest/plan'
import { isoWithOffset } from '../../../src/digest/plan/local-time'
import { runDigest } from '../../../src/jobs/run-digest'
import { newAccessKey } from '../../../src/links/link-tokens'
import { savePreferences } from '../../../src/subscribers'
import { loadPreferences } from '../../../src/subscribers/preferences'
import { resetData, testConfig, testDatabase, testPrisma } from '../../support/db'
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink'
import { topicModel } from '../../support/topic-model'
import { ingestHfDay } from '../digest/helpers'
import { deliverDeps, FAST, log } from './fixtures'

/** The simulated worker's poll interval. */
const POLL_MS = 15 * 60_000
const HOUR = 3_600_000

type Reader = { email: string; timezone: string; sendHour: number }
const READERS: Reader[] = [
  { email: 'honolulu@example.org', timezone: 'Pacific/Honolulu', sendHour: 6 }, // UTC−10
  { email: 'la@example.org', timezone: 'America/Los_Angeles', sendHour: 8 },
  { email: 'ny@example.org', timezone: 'America/New_York', sendHour: 7 },
  { email: 'ny-early@example.org', timezone: 'America/New_York', sendHour: 2 }, // skipped in March
  { email: 'stjohns@example.org', timezone: 'America/St_Johns', sendHour: 9 }, // UTC−3:30
  { email: 'utc@example.org', timezone: 'UTC', sendHour: 12 },
  { email: 'berlin@example.org', timezone: 'Europe/Berlin', sendHour: 7 },
  { email: 'berlin-night@example.org', timezone: 'Europe/Berlin', sendHour: 2 }, // skipped in March
  { email: 'kolkata@example.org', timezone: 'Asia/Calcutta', sendHour: 19 }, // UTC+5:30
  { email: 'kathmandu@example.org', timezone: 'Asia/Kathmandu', sendHour: 21 }, // UTC+5:45
  { email: 'auckland@example.org', timezone: 'Pacific/Auckland', sendHour: 7 }, // UTC+12/+13: before the plan
  { email: 'tonga@example.org', timezone: 'Pacific/Tongatapu', sendHour: 20 }, // UTC+13
  { email: 'kiritimati@example.org', timezone: 'Pacific/Kiritimati', sendHour: 22 }, // UTC+14
]
const MOVER = 'mover@example.org'

// List dates: each email arrives the morning after (the cron run plans yesterday's list).
const DAYS = [
  '2026-03-07', // US spring change on the 8th
  '2026-03-28', // EU spring change on the 29th
  '2026-10-23', // the mover's last day in New York
  '2026-10-24', // EU autumn change on the 25th; the mover in Tokyo
  '2026-10-31', // US autumn change on 1 November
]

let prisma: Db
let sink: SmtpSink

beforeAll(async () => {
  prisma = await testPrisma()
  sink = await startSmtpSink()
  await resetData(prisma)
  for (const d of DAYS) await ingestHfDay(prisma, d)
  const everyone = [...READERS, { email: MOVER, timezone: 'America/New_York', sendHour: 7 }]
  await prisma.subscriber.createMany({
    data: everyone.map((r) => ({
      ...r,
      emailKey: r.email,
      status: 'active' as const,
      maxPapers: 2,
      fallbackToTrending: true,
      accessKey: newAccessKey(),
      confirmedAt: new Date('2026-01-01T00:00:00Z'),
    })),
  })
})
afterAll(() => sink?.close())

/** The cron run's instant: 06:00 UTC on the morning after the list. */
const planTime = (listDate: string) => new Date(Date.parse(`${listDate}T06:00:00Z`) + 24 * HOUR)

/**
 * Plans `listDate` at its cron time, then delivers on a clock that moves POLL_MS at a time.
 * Returns, per address, the simulated instants at which its emails were accepted.
 */
async function runDay(listDate: string): Promise<Map<string, Date[]>> {
  await planDigest({ prisma, log, topicModel }, { date: listDate })
  const deps = await deliverDeps(prisma, sink)
  const sentAt = new Map<string, Date[]>()
  try {
    let t = planTime(listDate).getTime()
    for (let step = 0; step < (30 * HOUR) / POLL_MS; step++, t += POLL_MS) {
      const before = sink.messages.length
      const clock = () => new Date(t)
      const r = await deliverDue(deps, { ...FAST, date: listDate, clock, maxWaitMs: 0 })
      for (const m of sink.messages.slice(before))
        for (const to of m.to) sentAt.set(to, [...(sentAt.get(to) ?? []), new Date(t)])
      if (r.left === 0) break
    }
  } finally {
    await deps.mailer.close()
  }
  return sentAt
}

async function plannedSendAt(listDate: string): Promise<Map<string, Date>> {
  const rows = await prisma.delivery.findMany({
    where: { date: new Date(`${listDate}T00:00:00Z`) },
    select: { sendAt: true, status: true, subscriber: { select: { email: true } } },
  })
  for (const r of rows) expect(r.status, r.subscriber.email).toBe('sent')
  return new Map(rows.map((r) => [r.subscriber.email, r.sendAt]))
}

/** Every email in the first poll at or after its hour (or at once, if that was before the plan), once. */
function expectOnTime(listDate: string, sent: Map<string, Date[]>, planned: Map<string, Date>) {
  const plannedAt = planTime(listDate).getTime()
  expect([...sent.keys()].sort()).toEqual([...planned.keys()].sort())
  for (const [email, times] of sent) {
    expect(times, `${email} on ${listDate}`).toHaveLength(1)
    const due = Math.max(planned.get(email)!.getTime(), plannedAt)
    const late = times[0]!.getTime() - due
    expect(late, `${email} on ${listDate}: ${late / 60_000} min late`).toBeGreaterThanOrEqual(0)
    expect(late, `${email} on ${listDate}: ${late / 60_000} min late`).toBeLessThan(POLL_MS)
  }
}

const local = (planned: Map<string, Date>, email: string, tz: string) =>
  isoWithOffset(planned.get(email)!, tz)

describe('send-at times on a simulated clock', () => {
  it('US spring change: New York at 07:00 EDT; its skipped 02:00 goes at 03:00', async () => {
    const sent = await runDay(DAYS[0]!)
    const planned = await plannedSendAt(DAYS[0]!)
    expectOnTime(DAYS[0]!, sent, planned)
    expect(local(planned, 'ny@example.org', 'America/New_York')).toBe('2026-03-08T07:00:00-04:00')
    expect(local(planned, 'ny-early@example.org', 'America/New_York')).toBe('2026-03-08T03:00:00-04:00')
    expect(local(planned, 'berlin@example.org', 'Europe/Berlin')).toBe('2026-03-08T07:00:00+01:00')
    expect(local(planned, 'kolkata@example.org', 'Asia/Calcutta')).toBe('2026-03-08T19:00:00+05:30')
    expect(local(planned, 'kathmandu@example.org', 'Asia/Kathmandu')).toBe('2026-03-08T21:00:00+05:45')
    expect(local(planned, 'honolulu@example.org', 'Pacific/Honolulu')).toBe('2026-03-08T06:00:00-10:00')
    expect(local(planned, 'stjohns@example.org', 'America/St_Johns')).toBe('2026-03-08T09:00:00-02:30')
    // Auckland's 07:00 was over before the 06:00 UTC run: sent at once, not a day late.
    expect(sent.get('auckland@example.org')![0]).toEqual(planTime(DAYS[0]!))
  })

  it('EU spring change: Berlin at 07:00 CEST; its skipped 02:00 goes at 03:00', async () => {
    const sent = await runDay(DAYS[1]!)
    const planned = await plannedSendAt(DAYS[1]!)
    expectOnTime(DAYS[1]!, sent, planned)
    expect(local(planned, 'berlin@example.org', 'Europe/Berlin')).toBe('2026-03-29T07:00:00+02:00')
    expect(local(planned, 'berlin-night@example.org', 'Europe/Berlin')).toBe('2026-03-29T03:00:00+02:00')
    expect(local(planned, 'ny@example.org', 'America/New_York')).toBe('2026-03-29T07:00:00-04:00')
  })

  it('a reader who moves from New York to Tokyo: this plan keeps New York, the next one is Tokyo', async () => {
    const mover = await prisma.subscriber.findUniqueOrThrow({ where: { emailKey: MOVER } })
    await planDigest({ prisma, log, topicModel }, { date: DAYS[2]! })
    // The move, after the day's plan and before its email went out.
    const prefs = await loadPreferences(prisma, mover)
    await savePreferences(prisma, mover.id, { ...prefs, timezone: 'Asia/Tokyo', sendHour: 8 })
    const sent = await runDay(DAYS[2]!)
    const planned = await plannedSendAt(DAYS[2]!)
    expectOnTime(DAYS[2]!, sent, planned)
    expect(local(planned, MOVER, 'America/New_York')).toBe('2026-10-24T07:00:00-04:00')

    const next = await runDay(DAYS[3]!)
    const nextPlanned = await plannedSendAt(DAYS[3]!)
    expectOnTime(DAYS[3]!, next, nextPlanned)
    // 08:00 in Tokyo on the 25th was before the run (23:00 UTC on the 24th): at once.
    expect(local(nextPlanned, MOVER, 'Asia/Tokyo')).toBe('2026-10-25T08:00:00+09:00')
    expect(next.get(MOVER)![0]).toEqual(planTime(DAYS[3]!))
  })

  it('EU autumn change: Berlin still at 07:00 local, now CET', async () => {
    const before = await plannedSendAt(DAYS[2]!)
    const after = await plannedSendAt(DAYS[3]!)
    expect(local(before, 'berlin@example.org', 'Europe/Berlin')).toBe('2026-10-24T07:00:00+02:00')
    expect(local(after, 'berlin@example.org', 'Europe/Berlin')).toBe('2026-10-25T07:00:00+01:00')
    expect(after.get('berlin@example.org')!.getTime() - before.get('berlin@example.org')!.getTime()).toBe(
      25 * HOUR,
    )
  })

  it('US autumn change: New York at 07:00 EST', async () => {
    const sent = await runDay(DAYS[4]!)
    const planned = await plannedSendAt(DAYS[4]!)
    expectOnTime(DAYS[4]!, sent, planned)
    expect(local(planned, 'ny@example.org', 'America/New_York')).toBe('2026-11-01T07:00:00-05:00')
    expect(local(planned, 'la@example.org', 'America/Los_Angeles')).toBe('2026-11-01T08:00:00-08:00')
    // Every reader got one email a day, and no day twice.
    const per = new Map<string, number>()
    for (const m of sink.messages) for (const to of m.to) per.set(to, (per.get(to) ?? 0) + 1)
    for (const r of READERS) expect(per.get(r.email), r.email).toBe(DAYS.length)
    expect(per.get(MOVER)).toBe(DAYS.length)
  })
})

describe('the dry run', () => {
  it('lists each planned reader with the send-at time in their own offset, writing nothing', async () => {
    const day = '2026-12-01'
    await ingestHfDay(prisma, day)
    const deps = await createDeps(await testConfig(), { db: await testDatabase(), log })
    const report = await runDigest(deps, { date: day, dryRun: true })
    await deps.close()
    expect(report.outcome).toBe('dry-run')
    const byId = new Map(report.plan!.readers!.map((r) => [r.subscriberId, r]))
    const kolkata = await prisma.subscriber.findUniqueOrThrow({ where: { emailKey: 'kolkata@example.org' } })
    expect(byId.get(kolkata.id)).toMatchObject({
      timezone: 'Asia/Calcutta',
      sendAt: '2026-12-02T19:00:00+05:30',
    })
    const honolulu = await prisma.subscriber.findUniqueOrThrow({
      where: { emailKey: 'honolulu@example.org' },
    })
    expect(byId.get(honolulu.id)!.sendAt).toBe('2026-12-02T06:00:00-10:00')
    expect(byId.size).toBe(READERS.length + 1)
    expect(await prisma.delivery.count({ where: { date: new Date(`${day}T00:00:00Z`) } })).toBe(0)
  })
})

describe('a running worker', () => {
  it('claims only the deliveries whose time has come on its clock', async () => {
    const day = '2026-11-10'
    await ingestHfDay(prisma, day)
    await planDigest({ prisma, log, topicModel }, { date: day })
    const deps = await deliverDeps(prisma, sink)
    const before = sink.messages.length
    // 12:00 UTC on the mail day: everyone east of UTC−5 (their hour passed) is due, the rest is not.
    let now = new Date('2026-11-11T12:00:00Z')
    const due = await prisma.delivery.count({
      where: { date: new Date(`${day}T00:00:00Z`), sendAt: { lte: now } },
    })
    const all = await prisma.delivery.count({ where: { date: new Date(`${day}T00:00:00Z`) } })
    expect(due).toBeGreaterThan(0)
    expect(due).toBeLessThan(all)
    // The worker reads the clock on every poll: counting the readings waits for polls, not time.
    let readings = 0
    const worker = startWorker(deps, {
      ...FAST,
      clock: () => {
        readings++
        return now
      },
    })
    try {
      await waitFor(() => sink.messages.length - before === due)
      // Several polls later, still nothing else.
      const seen = readings
      await waitFor(() => readings >= seen + 6)
      expect(sink.messages.length - before).toBe(due)
      now = new Date('2026-11-12T12:00:00Z')
      await waitFor(() => sink.messages.length - before === all)
    } finally {
      await worker.stop()
      await deps.mailer.close()
    }
    expect(sink.messages.length - before).toBe(all)
  })
})

async function waitFor(done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > until) throw new Error('timed out waiting for the sink')
    await new Promise((r) => setTimeout(r, 20))
  }
}
