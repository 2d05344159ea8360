// Signup: create or refresh a pending subscriber, and decide which email (if any) goes out.
// The HTTP answer is the same whatever happens here (anti-enumeration); what differs is
// only the email: a confirmation for a new, pending or returning address, a "manage your
// subscription" note for an active one, and nothing at all when this address was mailed
// less than ten minutes ago, whatever the form receives (no inbox bombing through us).
// The ten-minute slot is claimed with one conditional UPDATE, so concurrent signups for
// the same address send at most one email between them. The email itself is a
// JourneyEmail row written in the same transaction (journey-store.ts): once signup
// returns, it is on record and goes out even if this process dies next.
import type { Db, Prisma } from '../db/prisma'
import { hashToken, newAccessKey, newConfirmToken } from '../links/link-tokens'
import { enqueueJourneyEmail } from './journey-store'
import { listStatus, recordEvent } from './subscriber-events'
import { findByEmailKey, replaceInterests, type Subscriber } from './subscriber-store'
import type { Subscription } from './subscription-input'

export const CONFIRM_TTL_HOURS = 72
export const RESEND_INTERVAL_MS = 10 * 60 * 1000

export type SignupOutcome =
  /** Send a confirmation email with this token (it is stored only as a hash). */
  | { kind: 'confirm'; subscriber: Subscriber; token: string; slot: Date }
  /** Already active: send the "manage your subscription" email; nothing else changed. */
  | { kind: 'manage'; subscriber: Subscriber; slot: Date }
  /** This address was mailed less than RESEND_INTERVAL_MS ago: send nothing. */
  | { kind: 'throttled'; subscriber: Subscriber }

type Prefs = Omit<Subscription, 'email' | 'website'>

/** When a reader who picks no hour or zone gets their email: the service's own schedule. */
export type SendDefaults = { timezone: string; sendHour: number }

function profile(input: Prefs, defaults: SendDefaults) {
  return {
    name: input.name,
    frequency: input.frequency,
    weekday: input.weekday,
    maxPapers: input.maxPapers,
    fallbackToTrending: input.fallbackToTrending,
    timezone: input.timezone ?? defaults.timezone,
    sendHour: input.sendHour ?? defaults.sendHour,
  }
}

function freshToken(now: Date) {
  const token = newConfirmToken()
  const data = {
    confirmTokenHash: hashToken(token),
    confirmTokenExpiresAt: new Date(now.getTime() + CONFIRM_TTL_HOURS * 3600_000),
    lastConfirmationSentAt: now,
  }
  return { token, data }
}

/** Claims this address's email slot: true when nothing was sent to it in the last interval. */
async function claimSlot(
  tx: Prisma.TransactionClient | Db,
  id: number,
  now: Date,
  data: Prisma.SubscriberUpdateManyMutationInput = {},
) {
  const since = new Date(now.getTime() - RESEND_INTERVAL_MS)
  const { count } = await tx.subscriber.updateMany({
    where: { id, OR: [{ lastConfirmationSentAt: null }, { lastConfirmationSentAt: { lte: since } }] },
    data: { lastConfirmationSentAt: now, ...data },
  })
  return count === 1
}

async function create(
  db: Db,
  input: Subscription,
  emailKey: string,
  now: Date,
  defaults: SendDefaults,
): Promise<SignupOutcome> {
  const { token, data } = freshToken(now)
  const subscriber = await db.$transaction(async (tx) => {
    const s = await tx.subscriber.create({
      data: {
        email: input.email,
        emailKey,
        accessKey: newAccessKey(),
        status: 'pending',
        ...profile(input, defaults),
        ...data,
      },
    })
    await replaceInterests(tx, s.id, input)
    await enqueueJourneyEmail(tx, { subscriberId: s.id, kind: 'confirm', token, slotAt: now }, now)
    await recordEvent(tx, s.id, 'signup', null, 'pending', now)
    return s
  })
  return { kind: 'confirm', subscriber, token, slot: now }
}

async function refresh(
  db: Db,
  existing: Subscriber,
  input: Subscription,
  now: Date,
  defaults: SendDefaults,
): Promise<SignupOutcome> {
  if (existing.status === 'active') {
    // Nothing about an active reader changes from an unauthenticated form: whoever typed the
    // address may not own it. The owner gets a note with their own links instead.
    return db.$transaction(async (tx) => {
      if (!(await claimSlot(tx, existing.id, now)))
        return { kind: 'throttled' as const, subscriber: existing }
      await enqueueJourneyEmail(tx, { subscriberId: existing.id, kind: 'manage', slotAt: now }, now)
      return { kind: 'manage' as const, subscriber: existing, slot: now }
    })
  }
  // Pending, unsubscribed or bounced: back to pending with the preferences just given. Nothing
  // is sent to a pending address but the confirmation, so this grants a stranger nothing.
  const { token, data } = freshToken(now)
  return db.$transaction(async (tx) => {
    const sent = await claimSlot(tx, existing.id, now, data)
    const subscriber = await tx.subscriber.update({
      where: { id: existing.id },
      data: { status: 'pending', email: input.email, ...profile(input, defaults) },
    })
    await replaceInterests(tx, existing.id, input)
    if (sent)
      await enqueueJourneyEmail(tx, { subscriberId: existing.id, kind: 'confirm', token, slotAt: now }, now)
    await recordEvent(tx, existing.id, 'signup', listStatus(existing), 'pending', now)
    return sent
      ? { kind: 'confirm' as const, subscriber, token, slot: now }
      : { kind: 'throttled' as const, subscriber }
  })
}

/**
 * Gives back the slot claimed at `slot` when its email could not be sent (SMTP down), so
 * the reader's next attempt sends at once instead of ten minutes later. Nothing was
 * delivered, so this cannot be used to bomb an inbox.
 */
export async function releaseSlot(db: Db | Prisma.TransactionClient, id: number, slot: Date): Promise<void> {
  await db.subscriber.updateMany({
    where: { id, lastConfirmationSentAt: slot },
    data: { lastConfirmationSentAt: null },
  })
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === 'P2002'
}

export async function signup(
  db: Db,
  input: Subscription,
  defaults: SendDefaults,
  now: Date = new Date(),
): Promise<SignupOutcome> {
  const emailKey = input.email.toLowerCase()
  const existing = await findByEmailKey(db, emailKey)
  if (existing) return refresh(db, existing, input, now, defaults)
  try {
    return await create(db, input, emailKey, now, defaults)
  } catch (err) {
    // Two signups for a new address raced and the other one created it: refresh that row.
    if (!isUniqueViolation(err)) throw err
    const winner = await findByEmailKey(db, emailKey)
    if (!winner) throw err
    return refresh(db, winner, input, now, defaults)
  }
}
