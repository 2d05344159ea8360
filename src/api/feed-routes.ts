// GET /feeds/:token.atom — a reader's private Atom feed. The token (HMAC, purpose "feed",
// bound to the reader's feedVersion) is the only key, as in the emails' links. A reader
// who unsubscribed or was erased gets 410 Gone, so feed readers stop asking; an unknown,
// forged or revoked token is a 404.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps'
import { readerFeed } from '../digest/feeds/reader-feed'
import { findFeedReader, subscriberLinks } from '../subscribers'
import { AppError } from './errors'
import { sendFeed } from './feed-reply'

export async function feedRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  const { publicUrl, appSecret } = deps.config
  app.get<{ Params: { file: string } }>('/feeds/:file', async (req, reply) => {
    const token = req.params.file.endsWith('.atom') ? req.params.file.slice(0, -'.atom'.length) : null
    const found =
      token === null ? { kind: 'unknown' as const } : await findFeedReader(deps.prisma, appSecret, token)
    if (found.kind === 'gone')
      throw new AppError('gone', 'this feed has ended: its reader unsubscribed or asked to be forgotten')
    if (found.kind === 'unknown')
      throw new AppError('not_found', 'no such feed (the link may have been replaced)')
    const s = found.subscriber
    const links = subscriberLinks(publicUrl, appSecret, s)
    const feed = await readerFeed(
      deps.prisma,
      publicUrl,
      s,
      { self: links.feedUrl, preferences: links.preferencesUrl },
      new Date(),
    )
    // Private: shared caches must not keep one reader's feed for another.
    return sendFeed(req, reply, feed, 'private, max-age=300')
  })
}
