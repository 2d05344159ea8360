// What a reader may send us, as zod schemas: the signup (form and JSON), the preferences
// form and the live preview. Every string is checked for what PostgreSQL or a mail header
// would choke on (NUL, lone surrogates, control characters) before it goes anywhere, so a
// hostile value is a 400 with a field message, never a 500. Topic slugs are checked
// against the database by `unknownTopics` (the schema itself cannot know them).
import { z } from 'zod'
import { LONE_SURROGATE, TRICK_CHARS } from '../text/unsafe-chars'
import { normaliseEmail } from './email-address'
import { canonicalZone } from './time-zone'

export const LIST_LIMITS = { keywords: 25, exclude: 25, authors: 25, topics: 50 } as const
export const TERM_MAX = 80
export const AUTHOR_MAX = 100
export const NAME_MAX = 100
export const PAPERS_DEFAULT = 10
export const PAPERS_MAX = 25

/** One line of reader-typed text: well-formed, no control or invisible trick characters. */
const text = (max: number) =>
  z
    .string({ error: 'must be text' })
    .refine((s) => !LONE_SURROGATE.test(s), 'contains an invalid character')
    .refine((s) => !TRICK_CHARS.test(s), 'must not contain control or invisible formatting characters')
    .transform((s) => s.trim().replace(/\s+/g, ' '))
    .pipe(z.string().max(max, `must be at most ${max} characters`))

export const Email = z.string({ error: 'is required' }).transform((raw, ctx) => {
  const checked = normaliseEmail(raw)
  if (checked.ok) return checked.email
  ctx.addIssue({ code: 'custom', message: checked.message })
  return z.NEVER
})

export const Name = text(NAME_MAX)
  .transform((s) => (s === '' ? null : s))
  .nullish()
  .transform((s) => s ?? null)

/** A list of phrases: de-duplicated case-insensitively (the first spelling wins). */
const terms = (max: number, itemMax: number, what: string) =>
  z
    .array(
      text(itemMax).refine((s) => /[\p{L}\p{N}]/u.test(s), `each ${what} needs a letter or a digit`),
      { error: `must be a list of ${what}s` },
    )
    .max(max, `at most ${max} ${what}s`)
    .transform((list) => {
      const seen = new Set<string>()
      return list.filter((t) => t !== '' && !seen.has(t.toLowerCase()) && seen.add(t.toLowerCase()))
    })
    .default([])

const Slug = z.string({ error: 'must be topic slugs' }).regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'is not a topic')

export const InterestFields = z.object({
  topics: z
    .array(Slug, { error: 'must be a list of topic slugs' })
    .max(LIST_LIMITS.topics)
    .transform((t) => [...new Set(t)])
    .default([]),
  keywords: terms(LIST_LIMITS.keywords, TERM_MAX, 'keyword'),
  exclude: terms(LIST_LIMITS.exclude, TERM_MAX, 'keyword'),
  authors: terms(LIST_LIMITS.authors, AUTHOR_MAX, 'author'),
})
export type InterestFields = z.infer<typeof InterestFields>

export const DeliveryFields = z.object({
  frequency: z.enum(['daily', 'weekly'], { error: 'must be daily or weekly' }).default('daily'),
  weekday: z
    .number({ error: 'must be a day of the week (0 = Sunday … 6 = Saturday)' })
    .int('must be a day of the week (0 = Sunday … 6 = Saturday)')
    .min(0, 'must be a day of the week (0 = Sunday … 6 = Saturday)')
    .max(6, 'must be a day of the week (0 = Sunday … 6 = Saturday)')
    .default(1),
  maxPapers: z
    .number({ error: `must be a number from 1 to ${PAPERS_MAX}` })
    .int(`must be a whole number from 1 to ${PAPERS_MAX}`)
    .min(1, `must be from 1 to ${PAPERS_MAX}`)
    .max(PAPERS_MAX, `must be from 1 to ${PAPERS_MAX}`)
    .default(PAPERS_DEFAULT),
  fallbackToTrending: z.boolean({ error: 'must be true or false' }).default(false),
  // Both optional: a signup without them takes the service's (the hour of DIGEST_CRON in
  // DIGEST_TZ), a preferences form without them keeps the reader's.
  timezone: z
    .string({ error: 'must be an IANA time zone such as Europe/Berlin' })
    .transform((name, ctx) => {
      const zone = canonicalZone(name.trim())
      if (zone) return zone
      ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone such as Europe/Berlin' })
      return z.NEVER
    })
    .optional(),
  sendHour: z
    .number({ error: 'must be an hour from 0 to 23' })
    .int('must be a whole hour from 0 to 23')
    .min(0, 'must be an hour from 0 to 23')
    .max(23, 'must be an hour from 0 to 23')
    .optional(),
})

/** The signup, from the form or the JSON API. `website` is the honeypot: people never see it. */
export const Subscription = z.strictObject(
  {
    email: Email,
    name: Name,
    ...InterestFields.shape,
    ...DeliveryFields.shape,
    website: z.string({ error: 'must be text' }).max(500).optional(),
  },
  {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field: ${iss.keys.join(', ')}` : undefined),
  },
)
export type Subscription = z.infer<typeof Subscription>

export const Preferences = z.strictObject(
  {
    name: Name,
    ...InterestFields.shape,
    ...DeliveryFields.shape,
    paused: z.boolean({ error: 'must be true or false' }).default(false),
  },
  {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field: ${iss.keys.join(', ')}` : undefined),
  },
)
export type Preferences = z.infer<typeof Preferences>

export const PreviewRequest = z.strictObject(
  {
    ...InterestFields.shape,
    maxPapers: DeliveryFields.shape.maxPapers,
    fallbackToTrending: DeliveryFields.shape.fallbackToTrending,
  },
  {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field: ${iss.keys.join(', ')}` : undefined),
  },
)
export type PreviewRequest = z.infer<typeof PreviewRequest>

/** Slugs that name no topic in the database, for a field message. */
export function unknownTopics(topics: readonly string[], known: ReadonlySet<string>): string[] {
  return topics.filter((t) => !known.has(t))
}

/** The honeypot was filled in: a bot. */
export function isBot(input: { website?: string | undefined }): boolean {
  return (input.website ?? '').trim() !== ''
}
