// When to try again. Two schedules: one per delivery (a 4xx for this message: wait, then
// retry, up to a limit) and one for the whole worker (the server said 421 or cannot be
// reached: stop sending for a while instead of hammering it). Both double each time, are
// capped, and carry jitter so the retries of one burst do not arrive together again.
// RetryPolicy is the project's one retry shape: the daily list's fetch (jobs/list-policy),
// journey emails and signup decisions use it too, each with its own numbers.

export type RetryPolicy = {
  /** Sends a delivery may take before it is marked failed (the first send counts). */
  maxAttempts: number
  /** Delay after the first failure; doubles with each further one. */
  baseMs: number
  maxMs: number
}

/** 30 s, 1 min, 2 min … ≈ 1 h of trying in all: a greylisting or busy server gets time to recover. */
export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: 8,
  baseMs: 30_000,
  maxMs: 30 * 60_000,
})

/** Pauses of the whole worker: 1 s, 2 s, 4 s … at most a minute between probes of a server that is down. */
export const DEFAULT_PAUSE: Readonly<{ baseMs: number; maxMs: number }> = Object.freeze({
  baseMs: 1_000,
  maxMs: 60_000,
})

/**
 * The n-th delay (n ≥ 1) of a doubling schedule, capped, with "equal jitter": half of it
 * fixed, half random, so a retry never comes sooner than half the schedule says.
 */
export function backoffMs(
  n: number,
  policy: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const step = Math.max(1, Math.floor(n))
  // 2 ** 30 already exceeds any sane cap; clamping keeps the arithmetic finite.
  const full = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(step - 1, 30))
  return Math.round(full / 2 + random() * (full / 2))
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false }

/** After `attempts` sends of a delivery, the last one a temporary failure: retry later, or give up. */
export function afterTemporaryFailure(
  attempts: number,
  policy: RetryPolicy = DEFAULT_RETRY,
  random: () => number = Math.random,
): RetryDecision {
  if (attempts >= policy.maxAttempts) return { retry: false }
  return { retry: true, delayMs: backoffMs(attempts, policy, random) }
}

/**
 * Journey emails (a confirmation someone is waiting for): 10 s, 20 s, 40 s … capped at
 * 10 min, ≈ 45 min of trying in all before the address's resend slot is given back.
 */
export const DEFAULT_JOURNEY_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: 9,
  baseMs: 10_000,
  maxMs: 10 * 60_000,
})
