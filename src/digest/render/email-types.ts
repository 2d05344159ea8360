// The render module's types, in one place. Values crossing into it from the planner, the
// HTTP layer or a feed are parsed with these schemas; the types are inferred from them.
import { z } from 'zod'
import { IsoDate } from '../../iso-date'
import { oneLine } from './format'

/** Only http(s) links reach an href: a feed's `javascript:` URL is dropped, not rendered. */
export const HttpUrl = z.url({ protocol: /^https?$/ })
/** A link from a feed: invalid becomes null (the card loses that link, the paper stays). */
const FeedLink = HttpUrl.nullable().catch(null)
/** One line of text: no CR/LF, which would otherwise end up in a header or break the text part. */
// oneLine returns a clean line as it is: a replace() copied every reader's footer reason.
const Line = z.string().transform(oneLine)

export { IsoDate }

export const PaperCardData = z.object({
  title: Line.pipe(z.string().min(1)),
  url: FeedLink,
  /** Full author list; the card shortens it. */
  authors: z.array(Line).default([]),
  upvotes: z.number().int().nonnegative().nullable().default(null),
  /** Already cut to two lines (see `cardFromPaper`); escaped, never trusted. */
  tldr: Line,
  pdfUrl: FeedLink.default(null),
  codeUrl: FeedLink.default(null),
  projectUrl: FeedLink.default(null),
})
export type PaperCardData = z.input<typeof PaperCardData>

/** A card rendered once per paper and day, with holes where each reader's "why" and votes go. */
export interface PreparedCard {
  readonly title: string
  /** The card is `beforeWhy` why `afterWhy` (or `withoutWhy`), then the vote links, then `afterVotes`. */
  readonly html: {
    readonly beforeWhy: string
    readonly afterWhy: string
    readonly withoutWhy: string
    readonly afterVotes: string
  }
  /** UTF-8 bytes of the card's HTML without a why line, for the digest's size budget. */
  readonly htmlBytes: number
  /** Plain-text lines under the numbered title, split where the why line goes. */
  readonly text: { readonly beforeWhy: string; readonly afterWhy: string }
}

const isPreparedCard = (v: unknown): v is PreparedCard =>
  typeof v === 'object' && v !== null && 'html' in v && 'text' in v
const PreparedCardSchema = z.custom<PreparedCard>(isPreparedCard, 'expected a card from prepareCard()')

/** One paper of a digest as the caller gives it. */
export interface DigestPaperInput {
  card: PreparedCard
  /** The reasons this paper was picked for this reader ("matched 'diffusion policy' in title"). */
  why?: string | string[] | null
  /** Topic names this paper matched for this reader, best first; the subject names the commonest. */
  topics?: string[]
  /** The reader's "more / fewer like this" links for this paper (built from PUBLIC_URL, escaped when filled). */
  feedback?: { moreUrl: string; fewerUrl: string }
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')
function isDigestPaper(v: unknown): v is DigestPaperInput {
  if (typeof v !== 'object' || v === null) return false
  const p = v as Record<string, unknown>
  const f = p.feedback as Record<string, unknown> | undefined
  return (
    isPreparedCard(p.card) &&
    (p.why === null || p.why === undefined || typeof p.why === 'string' || isStrings(p.why)) &&
    (p.topics === undefined || isStrings(p.topics)) &&
    (f === undefined ||
      (typeof f === 'object' &&
        f !== null &&
        typeof f.moreUrl === 'string' &&
        typeof f.fewerUrl === 'string'))
  )
}
// Checked in place, not copied: this array is parsed for every email (100,000 a run, ten
// papers each), and an object schema built ten new objects per email, with their arrays,
// all garbage a moment later. Strings are normalised where used (whyLine, the subject).
const DigestPaper = z
  .custom<DigestPaperInput>(isDigestPaper, 'expected a paper: { card, why?, topics?, feedback? }')
  .transform((p) => (p.topics ? (p as DigestPaperInput & { topics: string[] }) : { ...p, topics: [] }))

export const Site = z.object({
  /** PUBLIC_URL: links and the List-Id/Message-ID host come from it, never from a Host header. */
  publicUrl: HttpUrl,
})
export type Site = z.infer<typeof Site>

/**
 * The address as signup stored it. Deliberately looser than signup's own check: render must not
 * refuse an address the HTTP layer accepted; it only guards against CR/LF and obvious junk.
 */
const Address = z
  .string()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address')

const Reader = z.object({
  email: Address,
  name: Line.pipe(z.string().max(100)).nullish(),
})

export const DigestInput = z.object({
  subscriberId: z.union([z.number().int().nonnegative(), z.string().regex(/^[\w-]+$/)]),
  reader: Reader,
  date: IsoDate,
  /** Weekly digests cover the week ending on `date`. */
  frequency: z.enum(['daily', 'weekly']).default('daily'),
  papers: z.array(DigestPaper).min(1),
  /** feedUrl: the reader's private Atom feed (the same papers and reasons as their emails). */
  links: z.object({
    preferencesUrl: HttpUrl,
    unsubscribeUrl: HttpUrl,
    feedUrl: HttpUrl,
    archiveUrl: HttpUrl,
  }),
  /** Why the reader gets this email ("You subscribed to Robotics and 'diffusion policy' on paperboy.example"). */
  reason: Line,
  site: Site,
})
export type DigestInput = z.input<typeof DigestInput>

/**
 * What a batch of digests checks per email (digest-email.ts): the rest of a DigestInput it
 * checks once for the batch (the site) or builds itself from checked parts (the links, from
 * the checked PUBLIC_URL and tokens of URL-safe characters; the papers, from prepared cards).
 */
export const DigestEmailFields = DigestInput.pick({
  subscriberId: true,
  reader: true,
  date: true,
  reason: true,
})

export const ConfirmEmailInput = z.object({
  email: Address,
  name: Reader.shape.name,
  confirmUrl: HttpUrl,
  /** What confirming activates, one line per setting: the email shows exactly what the link does. */
  settings: z.array(Line).default([]),
  expiresInHours: z.number().int().positive().default(72),
  site: Site,
})
export type ConfirmEmailInput = z.input<typeof ConfirmEmailInput>

export const WelcomeEmailInput = z.object({
  email: Address,
  name: Reader.shape.name,
  preferencesUrl: HttpUrl,
  unsubscribeUrl: HttpUrl,
  /** The reader's private Atom feed. */
  feedUrl: HttpUrl,
  frequency: z.enum(['daily', 'weekly']).default('daily'),
  /** 0 = Sunday … 6 = Saturday, as in Subscriber.weekday; used for weekly readers. */
  weekday: z.number().int().min(0).max(6).default(1),
  maxPapers: z.number().int().min(1).max(25).default(10),
  /** The reader's local hour and zone (null hour: a reader from before send hours: not said). */
  sendHour: z.number().int().min(0).max(23).nullish(),
  timezone: Line.optional(),
  site: Site,
})
export type WelcomeEmailInput = z.input<typeof WelcomeEmailInput>

export const ManageEmailInput = z.object({
  email: Address,
  name: Reader.shape.name,
  preferencesUrl: HttpUrl,
  unsubscribeUrl: HttpUrl,
  feedUrl: HttpUrl,
  site: Site,
})
export type ManageEmailInput = z.input<typeof ManageEmailInput>

export const ArchiveInput = z.object({
  date: IsoDate,
  papers: z.array(z.object({ card: PreparedCardSchema, topics: z.array(Line).default([]) })),
  /** The nearest days with lists, for the previous/next links. */
  around: z
    .object({ previous: IsoDate.nullable(), next: IsoDate.nullable() })
    .default({ previous: null, next: null }),
  site: Site,
})
export type ArchiveInput = z.input<typeof ArchiveInput>

/** What delivery hands to the mailer. Headers are ready to set verbatim (no CR/LF inside). */
export interface RenderedEmail {
  readonly subject: string
  readonly html: string
  readonly text: string
  readonly headers: Readonly<Record<string, string>>
}
