// Signup: create or refresh a pending subscriber, and decide which email (if any) goes out.
// The HTTP answer is the same whatever happens here (anti-enumeration); what differs is
// only the email: a confirmation for a new, pending or returning address, a "manage your
// subscription" note for an active one, and nothing at all when this address was mailed
// less than ten minutes ago, whatever the form receives (no inbox bombing through us).
// The ten-minute slot is per mailbox (sub-addresses and Gmail dots folded), decided under
// an advisory lock, so concurrent signups for one mailbox send at most one email between
// them; a throttled signup changes nothing. The email itself is a
// JourneyEmail row written in the same transaction (journey-store.ts): once signup
// returns, it is on record and goes out even if this process dies next.
import type { Db, Prisma } from '../db/prisma'
import { hashToken, newAccessKey, newConfirmToken } from '../links/link-tokens'
import { mailboxKey } from './email-address'
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
  /** This mailbox was mailed less than RESEND_INTERVAL_MS ago: nothing sent, nothing changed. */
  | { kind: 'throttled' }

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

// Everything below runs in one transaction holding a lock on the address's mailbox, so two
// signups of one mailbox (the same address twice, or "+1" and "+2") are decided one after
// the other and the second sees what the first wrote.
type Tx = Prisma.TransactionClient
type Keys = { emailKey: string; mailbox: string }

/** Whether any address of this mailbox was sent a journey email in the last interval. */
async function mailboxMailed(tx: Tx, mailbox: string, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - RESEND_INTERVAL_MS)
  const row = await tx.subscriber.findFirst({
    where: { mailboxKey: mailbox, lastConfirmationSentAt: { gt: since } },
    select: { id: true },
  })
  return row !== null
}

async function create(
  tx: Tx,
  input: Subscription,
  keys: Keys,
  now: Date,
  defaults: SendDefaults,
): Promise<SignupOutcome> {
  const { token, data } = freshToken(now)
  const subscriber = await tx.subscriber.create({
    data: {
      email: input.email,
      emailKey: keys.emailKey,
      mailboxKey: keys.mailbox,
      accessKey: newAccessKey(),
      status: 'pending',
      ...profile(input, defaults),
      ...data,
    },
  })
  await replaceInterests(tx, subscriber.id, input)
  await enqueueJourneyEmail(tx, { subscriberId: subscriber.id, kind: 'confirm', token, slotAt: now }, now)
  await recordEvent(tx, subscriber.id, 'signup', null, 'pending', now)
  return { kind: 'confirm', subscriber, token, slot: now }
}

async function refresh(
  tx: Tx,
  existing: Subscriber,
  input: Subscription,
  keys: Keys,
  now: Date,
  defaults: SendDefaults,
): Promise<SignupOutcome> {
  if (existing.status === 'active') {
    // Nothing about an active reader changes from an unauthenticated form: whoever typed the
    // address may not own it. The owner gets a note with their own links instead.
    const subscriber = await tx.subscriber.update({
      where: { id: existing.id },
      data: { lastConfirmationSentAt: now, mailboxKey: keys.mailbox },
    })
    await enqueueJourneyEmail(tx, { subscriberId: existing.id, kind: 'manage', slotAt: now }, now)
    return { kind: 'manage', subscriber, slot: now }
  }
  // Pending, unsubscribed or bounced: back to pending with the preferences just given and a
  // new token, and the earlier token stops working. The settings only ever change together
  // with a new confirmation email that shows them, so a link activates exactly what its
  // email said (a stranger's later signup cannot ride on the owner's earlier link).
  const { token, data } = freshToken(now)
  const subscriber = await tx.subscriber.update({
    where: { id: existing.id },
    data: {
      status: 'pending',
      email: input.email,
      mailboxKey: keys.mailbox,
      ...profile(input, defaults),
      ...data,
    },
  })
  await replaceInterests(tx, existing.id, input)
  await enqueueJourneyEmail(tx, { subscriberId: existing.id, kind: 'confirm', token, slotAt: now }, now)
  await recordEvent(tx, existing.id, 'signup', listStatus(existing), 'pending', now)
  return { kind: 'confirm', subscriber, token, slot: now }
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

/** Decides one signup inside the caller's transaction (the signup queue's, which also deletes its row). */
export async function decideSignup(
  tx: Tx,
  input: Subscription,
  defaults: SendDefaults,
  now: Date = new Date(),
): Promise<SignupOutcome> {
  const emailKey = input.email.toLowerCase()
  const keys = { emailKey, mailbox: mailboxKey(emailKey) }
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`signup:${keys.mailbox}`}, 0))`
  // At most one journey email per mailbox per interval, whatever the form receives: no
  // inbox bombing through us. A throttled signup changes nothing at all.
  if (await mailboxMailed(tx, keys.mailbox, now)) return { kind: 'throttled' as const }
  const existing = await findByEmailKey(tx, emailKey)
  return existing ? refresh(tx, existing, input, keys, now, defaults) : create(tx, input, keys, now, defaults)
}

/** Decides one signup in a transaction of its own. */
export function signup(
  db: Db,
  input: Subscription,
  defaults: SendDefaults,
  now: Date = new Date(),
): Promise<SignupOutcome> {
  return db.$transaction((tx) => decideSignup(tx, input, defaults, now))
}
