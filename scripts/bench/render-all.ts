// The benchmarks' render phase: every planned delivery through renderDeliveries, in batches
// of a worker's size, with the next batch's call started before this one's result is used.
// renderDeliveries waits on PostgreSQL (its two bulk reads) and then builds the emails
// without yielding, so the next batch's reads run in the database's process while this
// batch's emails are built: the overlap a delivery worker gets from claiming its next batch
// while its sends are in flight. Without it the phase waited ~18 % of its time on the database.
import type { OutgoingEmail } from '../../src/delivery/mailer'

export async function renderAll(
  render: (ids: number[]) => Promise<Map<number, OutgoingEmail>>,
  ids: readonly number[],
  batch: number,
  onBatch: (emails: Map<number, OutgoingEmail>) => void,
): Promise<number> {
  let rendered = 0
  let next = ids.length > 0 ? render(ids.slice(0, batch)) : undefined
  for (let i = 0; next; i += batch) {
    const current = next
    next = i + batch < ids.length ? render(ids.slice(i + batch, i + 2 * batch)) : undefined
    // A failed batch fails the phase; the call already started must not become an unhandled rejection.
    const emails = await current.catch((err) => {
      next?.catch(() => {})
      throw err
    })
    rendered += emails.size
    onBatch(emails)
  }
  return rendered
}
