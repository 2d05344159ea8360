// Admin: start a date's digest run and watch it. POST answers as soon as the run holds
// the date (202, the run goes on in the background: run-starter.ts) or says another one
// does (409); GET reads the DigestRun and never changes anything. Every route sits behind
// the admin gate (admin-auth.ts).
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { readRun } from '../db/digest-runs'
import type { Deps } from '../deps'
import { IsoDate } from '../ingest/ingest-day'
import { isRunLocked } from '../jobs/run-lock'
import type { AdminGate } from './admin-auth'
import { AppError } from './errors'
import type { RunStarter } from './run-starter'

const StartRun = z.strictObject({ date: IsoDate })
const RunParams = z.object({ date: IsoDate })

type Options = { deps: Deps; gate: AdminGate; runs: RunStarter }

export async function adminRunsRoutes(app: FastifyInstance, { deps, gate, runs }: Options) {
  // Encapsulated by the plugin: every route here, and only these, sit behind the token.
  app.addHook('preHandler', gate.api)

  app.post('/api/admin/runs', async (req, reply) => {
    const { date } = StartRun.parse(req.body ?? {})
    if ((await runs.start(date, req.log)) === 'busy')
      throw new AppError('conflict', `a run of ${date} is already in progress`)
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
