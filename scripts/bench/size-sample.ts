// Mean size of the rendered emails, from one email in SIZE_EVERY. Measuring every one would
// encode all of them to UTF-8 inside the timed render phase: work (and garbage) that belongs
// to the mailer, which encodes each message once when it sends it.
import type { OutgoingEmail } from '../../src/delivery/mailer'

const SIZE_EVERY = 50

export class SizeSample {
  private seen = 0
  private measured = 0
  private bytes = 0

  add(emails: Iterable<OutgoingEmail>): void {
    for (const e of emails) {
      if (this.seen++ % SIZE_EVERY !== 0) continue
      this.measured++
      this.bytes += Buffer.byteLength(e.html) + Buffer.byteLength(e.text)
    }
  }

  /** Mean bytes of HTML plus text per email (0 before any email). */
  mean(): number {
    return Math.round(this.bytes / Math.max(1, this.measured))
  }
}
