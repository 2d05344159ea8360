// Admin: start a date's digest run and watch it. POST answers as soon as the run holds
// the date (202, the run goes on in the background) or says another one does (409); GET
// reads the DigestRun and never changes anything. Every route sits behind the admin
// bearer auth (admin-auth.ts). Runs still going when the app closes are stopped between steps and stay
// resumable, like the scheduler's.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../deps'
import { IsoDate } from '../ingest/ingest-day'
import { startDigestRun } from '../jobs/run-digest'
import { isRunLocked } from '../jobs/run-lock'
import { readRun } from '../jobs/run-record'
import { adminAuth } from './admin-auth'
import { AppError } from './errors'

const StartRun = z.strictObject({ date: IsoDate })
const RunParams = z.object({ date: IsoDate })

export async function adminRunsRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  // Encapsulated by the plugin: every route here, and only these, sit behind the token.
  app.addHook('preHandler', adminAuth(deps.config))
  const controller = new AbortController()
  const running = new Set<Promise<unknown>>()
  app.addHook('onClose', async () => {
    controller.abort(new Error('server closing'))
    await Promise.allSettled([...running])
  })

  app.post('/api/admin/runs', async (req, reply) => {
    const { date } = StartRun.parse(req.body ?? {})
    const start = await startDigestRun(deps, { date, signal: controller.signal })
    if (!start.started) throw new AppError('conflict', `a run of ${date} is already in progress`)
    const done = start.done
      .then((report) =>
        req.log.info({ date, outcome: report.outcome, error: report.error }, 'admin digest run ended'),
      )
      .catch((err: unknown) => req.log.error({ date, err }, 'admin digest run crashed'))
      .finally(() => running.delete(done))
    running.add(done)
    return reply
      .status(202)
      .header('location', `/api/admin/runs/${date}`)
      .send({ date, status: 'started', statusUrl: `/api/admin/runs/${date}` })
  })

  app.get('/api/admin/runs/:date', async (req) => {
    const { date } = RunParams.parse(req.params)
    const run = await readRun(deps.prisma, date)
    if (!run) throw new AppError('not_found', `no digest run for ${date}`)
    return { ...run, running: await isRunLocked(deps.prisma, date) }
  })
}
