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
  // Yesterday's run is done: 3 sent (1, 2 and 10 minutes after planning), 1 failed, 1 skipped.
  const planned = at(1, '06:00:00')
  const after = (s: number) => new Date(planned.getTime() + s * 1000)
  await prisma.delivery.createMany({
    data: [
      { subscriberId: ids[0]!, date: new Date(d(1)), status: 'sent', createdAt: planned, sentAt: after(60) },
      { subscriberId: ids[1]!, date: new Date(d(1)), status: 'sent', createdAt: planned, sentAt: after(120) },
      { subscriberId: ids[2]!, date: new Date(d(1)), status: 'sent', createdAt: planned, sentAt: after(600) },
      {
        subscriberId: ids[5]!,
        date: new Date(d(1)),
        status: 'failed',
        createdAt: planned,
        lastError: '550 no such user',
      },
      {
        subscriberId: ids[6]!,
        date: new Date(d(1)),
        status: 'skipped',
        createdAt: planned,
        skipReason: 'no match',
      },
      // Today's run is still delivering: 1 sent after 30 s, 2 waiting.
      {
        subscriberId: ids[1]!,
        date: new Date(d(0)),
        status: 'sent',
        createdAt: at(0, '06:00:00'),
        sentAt: at(0, '06:00:30'),
      },
      { subscriberId: ids[5]!, date: new Date(d(0)), status: 'pending', createdAt: at(0, '06:00:00') },
      { subscriberId: ids[6]!, date: new Date(d(0)), status: 'pending', createdAt: at(0, '06:00:00') },
    ],
  })
  await prisma.digestRun.createMany({
    data: [
      {
        date: new Date(d(1)),
        phase: 'done',
        due: 5,
        planned: 4,
        skipped: 1,
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
