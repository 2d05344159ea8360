// The render module's types, in one place. Values crossing into it from the planner, the
// HTTP layer or a feed are parsed with these schemas; the types are inferred from them.
import { z } from 'zod'
import { IsoDate } from '../../iso-date'

/** Only http(s) links reach an href: a feed's `javascript:` URL is dropped, not rendered. */
export const HttpUrl = z.url({ protocol: /^https?$/ })
/** A link from a feed: invalid becomes null (the card loses that link, the paper stays). */
const FeedLink = HttpUrl.nullable().catch(null)
/** One line of text: no CR/LF, which would otherwise end up in a header or break the text part. */
const Line = z.string().transform((s) => s.replace(/\s+/g, ' ').trim())

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

const PreparedCardSchema = z.custom<PreparedCard>(
  (v) => typeof v === 'object' && v !== null && 'html' in v && 'text' in v,
  'expected a card from prepareCard()',
)

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
  papers: z
    .array(
      z.object({
        card: PreparedCardSchema,
        /** The reasons this paper was picked for this reader ("matched 'diffusion policy' in title"). */
        // Plain strings here, normalised where used (whyLine, the subject): this array is parsed
        // 100,000 times a run, and a transform per string was a quarter of the render time.
        why: z.union([z.string(), z.array(z.string())]).nullish(),
        /** Topic names this paper matched for this reader, best first; the subject names the commonest. */
        topics: z.array(z.string()).default([]),
        /** The reader's "more / fewer like this" links for this paper (built from PUBLIC_URL, escaped when filled). */
        feedback: z.object({ moreUrl: z.string(), fewerUrl: z.string() }).optional(),
      }),
    )
    .min(1),
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
