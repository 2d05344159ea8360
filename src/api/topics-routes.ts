// GET /api/topics: the topics a reader can choose, for API clients and the signup page's peers.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps'

export async function topicsRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.get('/api/topics', async () => {
    const topics = await deps.prisma.topic.findMany({
      orderBy: { name: 'asc' },
      select: { slug: true, name: true, description: true },
    })
    return { topics }
  })
}
