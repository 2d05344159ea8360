// A small list with a known history, written straight into the tables the dashboard
// reads: seven readers whose events, deliveries and runs the metrics test checks number
// by number, and the browser test draws. Dates are relative to today (UTC): d(0) is today.
import type { Db } from '../../../src/db/prisma'
import type { ListStatus, SubscriberEventKind } from '../../../src/subscribers'

export const d = (k: number) => new Date(Date.now() - k * 86_400_000).toISOString().slice(0, 10)
const at = (k: number, time: string) => new Date(`${d(k)}T${time}Z`)

type Ev = [kind: SubscriberEventKind, from: ListStatus | null, to: ListStatus, day: number]
type Reader = {
  email: string
  status: 'pending' | 'active' | 'unsubscribed' | 'bounced'
  paused?: boolean
  topics: string[]
  keywords: string[]
  events: Ev[]
}

const signup = (day: number): Ev => ['signup', null, 'pending', day]
const confirm = (day: number): Ev => ['confirm', 'pending', 'active', day]

export const READERS: Reader[] = [
  {
    email: 'a@seed.test',
    status: 'unsubscribed',
    topics: ['agents'],
    keywords: ['diffusion'],
    events: [signup(5), confirm(5), ['unsubscribe_one_click', 'active', 'unsubscribed', 2]],
  },
  {
    email: 'b@seed.test',
    status: 'active',
    topics: ['agents', 'robotics'],
    keywords: ['Diffusion'],
    events: [signup(5), confirm(4)],
  },
  {
    email: 'c@seed.test',
    status: 'active',
    paused: true,
    topics: ['robotics'],
    keywords: ['reasoning'],
    events: [signup(4), confirm(4), ['pause', 'active', 'paused', 1]],
  },
  { email: 'd@seed.test', status: 'pending', topics: ['agents'], keywords: [], events: [signup(3)] },
  {
    email: 'e@seed.test',
    status: 'unsubscribed',
    topics: [],
    keywords: [],
    events: [signup(3), confirm(3), ['unsubscribe_page', 'active', 'unsubscribed', 1]],
  },
  {
    email: 'f@seed.test',
    status: 'bounced',
    topics: ['agents'],
    keywords: [],
    events: [signup(2), confirm(2), ['bounce', 'active', 'bounced', 0]],
  },
  // On the list from before the change log began: no events.
  {
    email: 'g@seed.test',
    status: 'active',
    topics: ['agents', 'theory'],
    keywords: ['diffusion'],
    events: [],
  },
]

export async function seedDashboard(prisma: Db): Promise<void> {
  const topics = new Map((await prisma.topic.findMany()).map((t) => [t.slug, t.id]))
  const ids: number[] = []
  for (const [i, r] of READERS.entries()) {
    const s = await prisma.subscriber.create({
      data: {
        email: r.email,
        emailKey: r.email,
        accessKey: `seed-access-key-${i}`,
        status: r.status,
        paused: r.paused ?? false,
        createdAt: at(r.events[0]?.[3] ?? 200, '08:00:00'),
        topics: { create: r.topics.map((slug) => ({ topicId: topics.get(slug)! })) },
        interests: { create: r.keywords.map((term) => ({ kind: 'keyword' as const, term })) },
      },
    })
    ids.push(s.id)
    await prisma.subscriberEvent.createMany({
      data: r.events.map(([kind, from, to, day], j) => ({
        subscriberId: s.id,
        kind,
        from,
        to,
        at: at(day, `09:0${j}:00`),
      })),
    })
  }
  // Yesterday's run is done: 3 sent (1, 2 and 10 minutes after planning), 1 failed, 1 skipped,
  // 1 held because its reader had paused by the time it was due.
  const planned = at(1, '06:00:00')
  const after = (s: number) => new Date(planned.getTime() + s * 1000)
  type Status = 'sent' | 'failed' | 'skipped' | 'paused' | 'pending'
  const row = (reader: number, day: number, status: Status, planned: Date, sendAt: Date, sentAt?: Date) => ({
    subscriberId: ids[reader]!,
    date: new Date(d(day)),
    status,
    createdAt: planned,
    sendAt,
    sentAt,
  })
  await prisma.delivery.createMany({
    data: [
      row(0, 1, 'sent', planned, planned, after(60)),
      row(1, 1, 'sent', planned, planned, after(120)),
      row(2, 1, 'sent', planned, planned, after(600)),
      row(5, 1, 'failed', planned, planned),
      row(6, 1, 'skipped', planned, planned),
      row(3, 1, 'paused', planned, planned),
      // Today's run is still delivering: 1 sent 30 s after its reader's hour (07:00, an hour
      // after planning: waiting for the reader's hour is no delay), 2 waiting.
      row(1, 0, 'sent', at(0, '06:00:00'), at(0, '07:00:00'), at(0, '07:00:30')),
      row(5, 0, 'pending', at(0, '06:00:00'), at(0, '06:00:00')),
      row(6, 0, 'pending', at(0, '06:00:00'), at(0, '06:00:00')),
    ],
  })
  await prisma.digestRun.createMany({
    data: [
      {
        date: new Date(d(1)),
        phase: 'done',
        due: 6,
        planned: 5,
        skipped: 1,
        paused: 1,
        sent: 3,
        failed: 1,
        startedAt: at(1, '05:59:30'),
        planStartedAt: at(1, '06:00:00'),
        deliverStartedAt: at(1, '06:01:30'),
        finishedAt: at(1, '06:11:30'),
      },
      {
        date: new Date(d(0)),
        phase: 'delivering',
        due: 3,
        planned: 3,
        sent: 1,
        startedAt: at(0, '05:59:00'),
        planStartedAt: at(0, '05:59:40'),
        deliverStartedAt: at(0, '06:00:00'),
      },
      {
        date: new Date(d(2)),
        phase: 'failed',
        error: 'list not published after 6 attempts',
        startedAt: at(2, '06:00:00'),
      },
    ],
  })
}
