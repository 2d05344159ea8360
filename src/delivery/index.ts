// Deliver: workers claim due deliveries from the ledger in batches (FOR UPDATE SKIP
// LOCKED, with a lease a dead worker's claims expire from), render them, send them through
// the Mailer at SEND_CONCURRENCY connections and SEND_RATE messages a second (for all workers
// together: a schedule of send slots in the database), and record
// each result as soon as the server answers: sent with its response, a temporary failure
// retried with backoff, a permanent one failed (three in a row bounce the reader). A
// throttling or unreachable server pauses the whole worker. Any number of workers, on any
// number of machines, share one database; after a crash only messages accepted but not yet
// recorded (at most `inFlight`) can go out twice.
export { afterTemporaryFailure, backoffMs, DEFAULT_PAUSE, DEFAULT_RETRY, type RetryPolicy } from './backoff'
export { type DeliverResult, deliverDue } from './deliver-due'
export {
  type ClaimedDelivery,
  claimBatch,
  HARD_BOUNCE_LIMIT,
  nextWakeAt,
  type Outcome,
  recordOutcomes,
} from './delivery-store'
export { type DeliverDeps, type DeliverOptions, newWorkerId } from './loop-driver'
export type { Mailer, OutgoingEmail, SendResult } from './mailer'
export { createOutboxMailer } from './outbox-mailer'
export type { DeliverSummary, RenderDeliveries } from './send-loop'
export { defaultBurst, reserveSlots, SharedPace } from './send-pace'
export { classifySmtpError, createSmtpMailer } from './smtp-mailer'
export { startWorker, type Worker } from './worker'
