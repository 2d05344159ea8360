// The dashboard's numbers for operators who graph elsewhere: `GET /api/admin/metrics?days=N`
// (JSON, the same object the page draws) and `GET /metrics` (Prometheus text). Both sit
// behind the admin gate: the list's size and growth are the operator's business.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps'
import { MetricsQuery, prometheusText, readCounters, readMetrics } from '../metrics'
import type { AdminGate } from './admin-auth'

export async function adminMetricsRoutes(
  app: FastifyInstance,
  { deps, gate }: { deps: Deps; gate: AdminGate },
) {
  app.addHook('preHandler', gate.api)

  app.get('/api/admin/metrics', async (req) => readMetrics(deps.prisma, MetricsQuery.parse(req.query ?? {})))

  app.get('/metrics', async (_req, reply) => {
    // One day is enough for the gauges; the counters come from their own totals.
    const [metrics, counters] = await Promise.all([
      readMetrics(deps.prisma, { days: 1 }),
      readCounters(deps.prisma),
    ])
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(prometheusText(metrics, counters))
  })
}
