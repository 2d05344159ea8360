// Subscribers: the reader's journey as small functions over the database. Signup creates or
// refreshes a pending subscriber without revealing whether the address was known; a
// single-use, 72-hour confirmation token (stored hashed) activates it; HMAC link tokens
// bound to one purpose open the preferences and unsubscribe pages; erasure removes the
// person and keeps the counts. The HTTP layer (src/api) only parses, calls these and
// renders; the emails go out in the background through journey-mail.

export * from '../links/link-tokens'
export { type ConfirmLookup, confirmSubscription, isConfirmTokenShape, lookupConfirmToken } from './confirm'
export { MAX_EMAIL_LENGTH, normaliseEmail } from './email-address'
export { eraseSubscriber } from './erase'
export { type FeedLookup, findFeedReader, rotateFeedLink } from './feed-access'
export { createJourneyMail, type JourneyMail } from './journey-mail'
export {
  loadPreferences,
  RECENT_PAPERS,
  recentPapers,
  type SentPaper,
  savePreferences,
  setPaused,
} from './preferences'
export { describeSettings, storedSettings } from './settings-summary'
export {
  CONFIRM_TTL_HOURS,
  decideSignup,
  RESEND_INTERVAL_MS,
  type SendDefaults,
  type SignupOutcome,
  signup,
} from './signup'
export { createSignupQueue, type SignupQueue, type SignupQueueOptions } from './signup-queue'
export * from './subscriber-events'
export * from './subscriber-store'
export * from './subscription-input'
export { canonicalZone, TIME_ZONES } from './time-zone'
export { resubscribe, type UnsubscribeVia, unsubscribe } from './unsubscribe'
export { type VoteSummary, voteSummary } from './vote-summary'
export {
  currentVote,
  type FeedbackTarget,
  findFeedbackTarget,
  forgetVotes,
  type ListedVote,
  listVotes,
  recordVote,
  removeVote,
  VOTE_DIRECTIONS,
  type VoteDirection,
  type VoteOutcome,
  wasSentTo,
} from './votes'
