// One reader's email for a date: the daily run's own planner (planDigest, with a writer
// that stores nothing, for this one reader) and the digest renderer, without writing
// anything: for an existing subscriber (their interests, their history of given papers,
// or their already-planned delivery) or for a hypothetical reader described by an
// interests object. Behind `npm run preview`.
import type { Config } from '../config/env'
import type { Db } from '../db/prisma'
import type { OutgoingEmail } from '../delivery/mailer'
import type { Logger } from '../log'
import { Interests, type InterestsInput, type TopicModel } from '../matching'
import type { DigestCaches } from './digest-caches'
import { renderDeliveries, toOutgoing } from './digest-email'
import { buildDigestInput, digestSite } from './digest-input'
import { cardsOn, digestPapers, digestReader, type ReaderRow } from './email-papers'
import type { DueReader } from './plan/due-readers'
import { loadPlanDay, type PlanDay } from './plan/plan-day'
import { planDigest } from './plan/plan-digest'
import { memoryWriter } from './plan/plan-writer'
import { isDue, isoDay } from './plan/schedule'
import { renderDigest } from './render'

export class PreviewError extends Error {
  override name = 'PreviewError'
}

export type PreviewTarget =
  | { email: string }
  | { interests: InterestsInput; maxPapers?: number; fallbackToTrending?: boolean }

export type PreviewResult =
  | { status: 'rendered'; email: OutgoingEmail; papers: number; notes: string[] }
  | { status: 'skipped'; reason: string; notes: string[] }

interface Candidate extends ReaderRow {
  maxPapers: number
  fallbackToTrending: boolean
  interests: { kind: string; term: string }[]
}

export async function previewDigest(
  deps: {
    prisma: Db
    log: Logger
    config: Pick<Config, 'publicUrl' | 'appSecret'>
    topicModel: TopicModel
    caches: DigestCaches
  },
  date: string,
  target: PreviewTarget,
): Promise<PreviewResult> {
  const { prisma, config } = deps
  const topics = await deps.caches.topics.load()
  const notes: string[] = []
  let reader: Candidate
  if ('email' in target) {
    const s = await prisma.subscriber.findUnique({
      where: { emailKey: target.email.trim().toLowerCase() },
      include: { topics: { include: { topic: true } }, interests: { orderBy: { id: 'asc' } } },
    })
    if (!s) throw new PreviewError(`no subscriber with the email ${target.email}`)
    if (!isDue(s, date))
      notes.push(
        `${s.email} is not due on ${date} (${s.status}, ${s.paused ? 'paused, ' : ''}${s.frequency}); showing what they would get`,
      )
    const planned = await prisma.delivery.findUnique({
      where: { subscriberId_date: { subscriberId: s.id, date: isoDay(date) } },
    })
    if (planned) {
      notes.push(
        `already planned for ${date} (delivery ${planned.id}, ${planned.status}); showing that delivery`,
      )
      if (planned.status === 'skipped')
        return { status: 'skipped', reason: planned.skipReason ?? 'skipped', notes }
      const email = (await renderDeliveries(deps, [planned.id])).get(planned.id)
      if (!email) return { status: 'skipped', reason: 'the planned papers are no longer listed', notes }
      const papers = planned.paperIds.length
      return { status: 'rendered', email, papers, notes }
    }
    reader = { ...s, topicSlugs: s.topics.map((t) => t.topic.slug).sort() }
  } else {
    const parsed = Interests.safeParse(target.interests)
    if (!parsed.success)
      throw new PreviewError(
        `--interests: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}`,
      )
    const unknown = parsed.data.topics.filter((t) => !topics.nameBySlug.has(t))
    if (unknown.length)
      throw new PreviewError(
        `unknown topic ${unknown.join(', ')} (known: ${[...topics.nameBySlug.keys()].join(', ')})`,
      )
    const i = parsed.data
    reader = {
      id: 0,
      accessKey: 'preview',
      feedVersion: 0,
      email: `preview@${new URL(config.publicUrl).hostname}`,
      name: null,
      frequency: 'daily',
      maxPapers: target.maxPapers ?? 10,
      fallbackToTrending: target.fallbackToTrending ?? false,
      topicSlugs: [...i.topics].sort(),
      interests: [
        ...i.keywords.map((term) => ({ kind: 'keyword', term })),
        ...i.exclude.map((term) => ({ kind: 'exclude', term })),
        ...i.authors.map((term) => ({ kind: 'author', term })),
      ],
    }
  }

  const terms = (kind: string) => reader.interests.filter((i) => i.kind === kind).map((i) => i.term)
  const due: DueReader = {
    subscriberId: reader.id,
    frequency: reader.frequency,
    maxPapers: reader.maxPapers,
    fallbackToTrending: reader.fallbackToTrending,
    timezone: 'UTC',
    sendAt: null,
    interests: {
      topics: [...reader.topicSlugs],
      keywords: terms('keyword'),
      exclude: terms('exclude'),
      authors: terms('author'),
    },
  }
  // The planner draws the day; the preview keeps it to render the chosen papers' cards.
  let day: PlanDay | undefined
  const writer = memoryWriter()
  await planDigest(deps, {
    date,
    writer,
    readers: [due],
    source: async (t, d, f) => (day = await loadPlanDay(prisma, t, d, f)),
  })
  const plan = writer.plans[0]
  if (!plan || plan.status === 'skipped')
    return { status: 'skipped', reason: plan?.skipReason ?? 'nothing planned', notes }
  const templates = await deps.caches.templates.get()
  const listed = new Map((day?.listed ?? []).map((l) => [l.paper.id, l]))
  const cardOf = cardsOn(deps.caches.cards, templates, topics, date, (id) => listed.get(id))
  const papers = digestPapers(topics, plan.items, cardOf, new Set(reader.topicSlugs))
  const rendered = renderDigest(
    templates,
    buildDigestInput(digestSite(config), digestReader(reader, topics), date, papers),
  )
  return { status: 'rendered', email: toOutgoing(reader.email, rendered), papers: papers.length, notes }
}
