// SEND_RATE for all workers together, on every machine: one SendPace row holds the
// schedule of send slots (GCRA, "virtual scheduling"): `nextAt` is when the next free slot
// begins. A worker reserves its next k slots with one atomic UPDATE … RETURNING (row lock:
// concurrent reservations queue, none overlaps) and sends each message at its slot's time.
// A schedule that fell behind (nobody sent for a while) restarts at most `burst` slots in
// the past, so an idle system may send that many at once, never more. Times are the
// database's: workers need not agree on the clock (each maps the database's onto its own
// monotonic clock, ClockOffset).
import { type Db, Prisma, sqlRows } from '../db/prisma'

// The clock at the moment of the update, not now() (the transaction's start): a reservation
// that waited for another worker's row lock must not see its slots as later than they are.
const NOW = Prisma.sql`(clock_timestamp() AT TIME ZONE 'UTC')`
const us = (n: number) =>
  Prisma.sql`(${Math.max(0, Math.round(n * 1000))}::bigint * interval '1 microsecond')`

export type PaceSettings = {
  /** Messages per second, for all workers together. */
  rate: number
  /** Slots that may be used at once after an idle spell. */
  burst: number
  /** Slots one reservation takes (default: a tenth of a second's, at least 1). */
  reserve?: number
  /** The schedule's row (one per kind of mail that has its own rate). */
  name?: string
}

/** A tenth of a second's sends (at least one): smooth enough that any one second stays near `rate`. */
export function defaultBurst(rate: number): number {
  return Math.max(1, Math.ceil(rate / 10))
}

/**
 * Reserves `count` consecutive slots. Returns when the first begins and the time the
 * reservation was made, both on the database's clock (epoch ms).
 */
export async function reserveSlots(
  prisma: Db,
  s: { name: string; count: number; intervalMs: number; toleranceMs: number },
): Promise<{ firstAt: number; dbNow: number }> {
  const span = us(s.count * s.intervalMs)
  // Through node-postgres (sqlRows): a busy worker reserves several times a second.
  const rows = await sqlRows<{ endAt: number; dbNow: number }>(
    prisma,
    Prisma.sql`
    INSERT INTO "SendPace" (name, "nextAt") VALUES (${s.name}, ${NOW} + ${span})
    ON CONFLICT (name) DO UPDATE
      SET "nextAt" = GREATEST("SendPace"."nextAt", ${NOW} - ${us(s.toleranceMs)}) + ${span}
    RETURNING (EXTRACT(EPOCH FROM "nextAt") * 1000)::float8 AS "endAt",
              (EXTRACT(EPOCH FROM ${NOW}) * 1000)::float8 AS "dbNow"`,
  )
  const r = rows[0]!
  return { firstAt: r.endAt - s.count * s.intervalMs, dbNow: r.dbNow }
}

/** One worker's side of the shared schedule: the slots it reserved, handed out in order. */
export class SharedPace {
  readonly intervalMs: number
  private readonly toleranceMs: number
  private readonly staleMs: number
  private readonly perReserve: number
  private readonly name: string
  /** Local time (performance.now()) of the first unused reserved slot, and how many are left. */
  private next = 0
  private left = 0
  /** The window reserved in advance, taken up when this one is used up. */
  private ahead: { next: number; left: number } | null = null
  private reserving: Promise<void> | null = null
  private readonly clock = new ClockOffset()
  constructor(
    private readonly prisma: Db,
    s: PaceSettings,
  ) {
    if (!(s.rate > 0) || !Number.isFinite(s.rate))
      throw new RangeError(`rate must be a positive number, got ${s.rate}`)
    if (!(s.burst >= 1)) throw new RangeError(`burst must be at least 1, got ${s.burst}`)
    this.intervalMs = 1000 / s.rate
    this.toleranceMs = s.burst * this.intervalMs
    this.staleMs = this.toleranceMs + this.intervalMs
    this.perReserve = Math.max(1, Math.round(s.reserve ?? defaultBurst(s.rate)))
    this.name = s.name ?? 'digest'
  }

  /** Takes the next slot: how many ms to wait before sending (0: now). Rejects if the database does not answer. */
  async take(): Promise<number> {
    for (;;) {
      const now = performance.now()
      this.skipStale(now)
      if (this.left === 0 && this.ahead) {
        ;({ next: this.next, left: this.left } = this.ahead)
        this.ahead = null
        this.skipStale(now)
      }
      if (this.left > 0) {
        const at = this.next
        this.advance()
        // At a high rate (10+ slots a window) the next window is reserved while this one is
        // in use: when the worker cannot reach the rate (the bench's), its slots pass unused
        // within a tenth of a second, and every send lane waiting on that round trip at once
        // is a stall (the bench measured 164 msg/s against 290 raw). At a low rate a round trip
        // is short next to the slots' spacing, and one window at a time keeps it simplest.
        if (this.perReserve >= 10 && !this.ahead && !this.reserving) this.reserve().catch(() => {})
        return Math.max(0, Math.ceil(at - now))
      }
      await (this.reserving ?? this.reserve())
    }
  }

  /** Forgets the reserved slots (the worker pauses): by the time it sends again they have passed. */
  drop(): void {
    this.left = 0
    this.ahead = null
  }

  /**
   * A slot is used at most `staleMs` late (its lanes were busy at its time): later, it
   * would go out on top of the slots the schedule has since handed to others (a schedule
   * that fell behind restarts `toleranceMs` ago), and together they would exceed the rate.
   * Measured: with late slots allowed for a second, three workers at 15/s sent 18/s.
   */
  private skipStale(now: number): void {
    const behind = now - this.staleMs - this.next
    if (this.left > 0 && behind > 0) {
      const skip = Math.min(this.left, Math.ceil(behind / this.intervalMs))
      this.next += skip * this.intervalMs
      this.left -= skip
    }
  }

  private advance(): void {
    this.next += this.intervalMs
    this.left--
  }

  private reserve(): Promise<void> {
    const asked = performance.now()
    this.reserving = reserveSlots(this.prisma, {
      name: this.name,
      count: this.perReserve,
      intervalMs: this.intervalMs,
      toleranceMs: this.toleranceMs,
    })
      .then(({ firstAt, dbNow }) => {
        const offset = this.clock.observe(dbNow, asked, performance.now())
        this.ahead = { next: firstAt - offset, left: this.perReserve }
      })
      .finally(() => {
        this.reserving = null
      })
    return this.reserving
  }
}

/**
 * The database clock minus this process's monotonic clock, never overestimated, so a slot
 * is never used before its time. The database read `dbNow` while the request was out, so
 * each answer proves offset ≥ dbNow − (local time it arrived); the estimate is the tightest
 * such bound seen. Taking each answer's bound alone (as before) shifted each window later
 * by however long its answer then waited on a busy event loop, so windows drew closer
 * together whenever those waits shrank (three workers at 15/s, load 8: from the 60th send
 * on, 15.04 and 15.16/s before, 15.01–15.02/s with this). The bound decays by `driftPerMs`
 * (a thousand times a real clock's drift) so that clocks drifting apart never make it an
 * overestimate, and it never exceeds the answer's own upper bound (dbNow − asked), so a
 * clock that is set back is followed at once.
 */
export class ClockOffset {
  private bound = Number.NEGATIVE_INFINITY
  private boundAt = 0
  constructor(private readonly driftPerMs = 1e-3) {}

  /** Takes one answer (`dbNow`, read between `asked` and `answered`, local ms); returns the estimate. */
  observe(dbNow: number, asked: number, answered: number): number {
    const decayed = this.bound - (answered - this.boundAt) * this.driftPerMs
    // Never above this answer's own upper bound (dbNow − asked): a clock set back shows there.
    this.bound = Math.min(Math.max(dbNow - answered, decayed), dbNow - asked)
    this.boundAt = answered
    return this.bound
  }
}
