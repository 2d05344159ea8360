// Serving an Atom document: the right media type, a strong ETag of the exact bytes, and
// 304 Not Modified when the feed reader already has them (feed readers poll often).
import type { FastifyReply, FastifyRequest } from 'fastify'
import { type AtomFeed, etagOf, matchesEtag, renderAtom } from '../digest/feeds/atom'

export function sendFeed(req: FastifyRequest, reply: FastifyReply, feed: AtomFeed, cacheControl: string) {
  const body = renderAtom(feed)
  const etag = etagOf(body)
  reply.header('etag', etag).header('cache-control', cacheControl)
  if (matchesEtag(req.headers['if-none-match'], etag)) return reply.status(304).send()
  return reply.type('application/atom+xml; charset=utf-8').send(body)
}
