// One side of the delivery comparison, in a process of its own so that its CPU time and
// peak RSS are its own (a delivery worker's, not the planning benchmark's): `deliver`
// runs deliverDue over the scratch database's due deliveries, as `npm run worker` would;
// `raw` sends one sample email over and over through nodemailer's pooled transport alone.
// The parent (delivery-phase.ts) sends one { mode, … } message and gets one result back.
import { loadConfig } from '../../src/config/env'
import { deliverDue } from '../../src/delivery/deliver-due'
import type { OutgoingEmail } from '../../src/delivery/mailer'
import { createDeps } from '../../src/deps'
import { measureRawRate } from './raw-rate'

export type ChildJob =
  | {
      mode: 'deliver'
      env: Record<string, string>
      date: string
      concurrency: number
      batchSize: number | undefined
    }
  | {
      mode: 'raw'
      url: string
      from: string
      email: OutgoingEmail
      messages: number
      connections: number
      textEncoding?: 'quoted-printable'
    }

export type ChildResult = {
  seconds: number
  messages: number
  errors: number
  cpuSeconds: number
  maxRssMb: number
  /** deliver only: what deliverDue reported. */
  summary?: { sent: number; failed: number; retried: number; left: number }
}

async function run(job: ChildJob): Promise<ChildResult> {
  if (job.mode === 'raw') {
    const cpu = process.cpuUsage()
    const r = await measureRawRate(job)
    return {
      seconds: r.seconds,
      messages: r.messages,
      errors: r.errors,
      cpuSeconds: cpuSince(cpu),
      maxRssMb: maxRss(),
    }
  }
  const deps = await createDeps(loadConfig({ ...process.env, ...job.env }))
  try {
    // Start-up (tsx, the topic model, connections) is not part of the measurement.
    const cpu = process.cpuUsage()
    const started = performance.now()
    const sent = await deliverDue(deps, {
      date: job.date,
      concurrency: job.concurrency,
      batchSize: job.batchSize,
      maxWaitMs: 5_000,
    })
    const seconds = (performance.now() - started) / 1000
    return {
      seconds,
      messages: sent.sent,
      errors: sent.failed,
      cpuSeconds: cpuSince(cpu),
      maxRssMb: maxRss(),
      summary: { sent: sent.sent, failed: sent.failed, retried: sent.retried, left: sent.left },
    }
  } finally {
    await deps.close()
  }
}

function cpuSince(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from)
  return (u.user + u.system) / 1e6
}
function maxRss(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024)
}

process.once('message', (job: ChildJob) => {
  run(job).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (err: Error) => process.send!({ ok: false, error: err.stack ?? String(err) }, () => process.exit(1)),
  )
})
