// Liveness and readiness for load balancers and orchestrators.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps'

export async function healthRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.get('/healthz', async () => ({ status: 'ok' }))

  app.get('/readyz', async (_req, reply) => {
    try {
      await withTimeout(deps.prisma.$queryRawUnsafe('SELECT 1'), 2_000)
      return { status: 'ready' }
    } catch (err) {
      return reply
        .status(503)
        .send({ status: 'unavailable', reason: `database: ${(err as Error).message.split('\n')[0]}` })
    }
  })
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
    p.then(resolve, reject).finally(() => clearTimeout(t))
  })
}
