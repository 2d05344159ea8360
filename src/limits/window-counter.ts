// Fixed-window hit counters that every instance of the service shares: the HTTP rate
// limits (@fastify/rate-limit's store, api/rate-limit-store.ts) and the admin sign-in
// lockout count here, so two instances behind one address allow what one would, not
// twice that. Kept in PostgreSQL (pg-window-counter.ts) or, when REDIS_URL is set, in
// Redis (redis-window-counter.ts). A window opens at a key's first hit and lasts
// `windowMs`; the store's own clock decides when it ends, so instances need not agree on
// the time.

export type WindowCount = {
  /** Hits in the key's current window (0: no open window). */
  hits: number
  /** Until the window closes, ms (0 when none is open). */
  resetInMs: number
}

export interface WindowCounter {
  readonly kind: 'postgres' | 'redis'
  /** Counts one hit of `key` and returns the window's count including it (one atomic step). */
  hit(key: string, windowMs: number): Promise<WindowCount>
  /** The key's window without counting. */
  peek(key: string): Promise<WindowCount>
  /** Deletes closed windows; returns how many (Redis expires its keys itself: 0). */
  prune(): Promise<number>
  close(): Promise<void>
}
