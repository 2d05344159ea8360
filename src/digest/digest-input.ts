// The one place a reader's DigestInput is assembled from plain data, shared by the
// delivery glue (digest-email.ts) and `npm run preview`, so both say the same thing.

import {
  digestViewUrl,
  feedbackLinks,
  type LinkSecret,
  linkSigningKey,
  subscriberLinks,
} from '../links/link-tokens'
import type { DigestInput, DigestLinks, FeedbackUrls, PreparedCard } from './render'

export interface DigestReader {
  /** Subscriber id; the preview of a hypothetical reader uses 0. */
  id: number
  accessKey: string
  feedVersion: number
  email: string
  name: string | null
  frequency: 'daily' | 'weekly'
  /** Topic names the reader chose, in display order. */
  topicNames: readonly string[]
  keywords: readonly string[]
  authors: readonly string[]
}

export interface DigestPaper {
  /** The stored paper's id: its "more / fewer like this" links name it. */
  paperId: number
  card: PreparedCard
  why: readonly string[]
  /** Topic names behind this item (the reader's topics the paper matched). */
  topics: readonly string[]
}

export interface DigestSite {
  publicUrl: string
  /** APP_SECRET, or its key from linkSigningKey when many emails are signed (digestSite makes one). */
  appSecret: LinkSecret
  /** PUBLIC_URL's host, named in every email's footer: parsed once per batch, not per email. */
  host: string
}

export function digestSite(config: { publicUrl: string; appSecret: string }): DigestSite {
  // A batch signs ~13 links per email: with one key object, each HMAC skips importing the secret.
  return {
    publicUrl: config.publicUrl,
    appSecret: linkSigningKey(config.appSecret),
    host: new URL(config.publicUrl).host,
  }
}

/** "a", "a and b", "a, b and c". */
function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

const quoted = (terms: readonly string[]) => terms.map((t) => `'${t}'`)

/** Why this reader gets the email, from what they chose (shown in the footer). */
export function readerReason(
  host: string,
  reader: Omit<DigestReader, 'id' | 'accessKey' | 'feedVersion' | 'email' | 'name'>,
): string {
  const parts: string[] = []
  if (reader.topicNames.length) parts.push(`topics ${list(reader.topicNames)}`)
  if (reader.keywords.length) parts.push(`keywords ${list(quoted(reader.keywords))}`)
  if (reader.authors.length) parts.push(`followed authors ${list(reader.authors)}`)
  // Parts are lists themselves: a comma before the last "and" keeps them apart.
  const joined = parts.length > 1 ? `${parts.slice(0, -1).join(', ')}, and ${parts.at(-1)}` : parts[0]
  const what = joined ? ` with ${joined}` : ' for the top trending papers'
  const how = reader.frequency === 'weekly' ? 'a weekly' : 'a daily'
  return `You get this because you subscribed to ${how} Paperboy digest on ${host}${what}.`
}

/** The reader's own links and each paper's vote links: what no other reader's email has. */
export function recipientLinks(
  site: DigestSite,
  reader: Pick<DigestReader, 'id' | 'accessKey' | 'feedVersion'>,
  date: string,
  paperIds: readonly number[],
): { links: DigestLinks; feedback: (FeedbackUrls | undefined)[] } {
  const links = subscriberLinks(site.publicUrl, site.appSecret, {
    id: reader.id,
    accessKey: reader.accessKey,
    feedVersion: reader.feedVersion,
  })
  return {
    // "View in browser": the reader's own email as a page (with its vote links); a preview's
    // hypothetical reader has none, so theirs is the day's public archive page.
    links: {
      ...links,
      archiveUrl:
        reader.id > 0
          ? digestViewUrl(site.publicUrl, site.appSecret, reader, date)
          : `${site.publicUrl}/archive/${date}`,
    },
    // A preview of a hypothetical reader (id 0) has nobody to vote for.
    feedback: paperIds.map((paperId) =>
      reader.id > 0 ? feedbackLinks(site.publicUrl, site.appSecret, reader, paperId) : undefined,
    ),
  }
}

export function buildDigestInput(
  site: DigestSite,
  reader: DigestReader,
  date: string,
  papers: readonly DigestPaper[],
): DigestInput {
  const { links, feedback } = recipientLinks(
    site,
    reader,
    date,
    papers.map((p) => p.paperId),
  )
  return {
    subscriberId: reader.id,
    reader: { email: reader.email, name: reader.name },
    date,
    frequency: reader.frequency,
    // renderDigest only reads these arrays (and parses its input into fresh ones): no copies.
    papers: papers.map((p, i) => ({
      card: p.card,
      why: p.why as string[],
      topics: p.topics as string[],
      ...(feedback[i] ? { feedback: feedback[i] } : {}),
    })),
    links,
    reason: readerReason(site.host, reader),
    site: { publicUrl: site.publicUrl },
  }
}
