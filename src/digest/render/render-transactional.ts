// The reader-journey emails (issue 5): confirm, welcome, and "manage your subscription" for
// an address that is already active. Same partials as the digest. Welcome and manage go to
// a subscribed reader, so like every digest they carry a visible unsubscribe link and the
// List-Unsubscribe headers; the confirmation goes to an address that is not subscribed
// yet, so it has nothing to unsubscribe from and carries neither.
import type { CompiledTemplates } from './compile-templates'
import {
  ConfirmEmailInput,
  type ConfirmEmailInput as ConfirmEmailInputType,
  ManageEmailInput,
  type ManageEmailInput as ManageEmailInputType,
  type RenderedEmail,
  WelcomeEmailInput,
  type WelcomeEmailInput as WelcomeEmailInputType,
} from './email-types'
import { plural, weekdayName } from './format'
import { AUTO_HEADERS, greeting, unsubscribeHeaders } from './headers'
import { fillSkeleton } from './skeleton'

const SIGNUP_NOTE =
  'You received this because this address was entered on the Paperboy signup form. ' +
  'If that was not you, ignore this email: nothing is sent without confirmation.'
const MEMBER_NOTE = 'You received this because this address is subscribed to Paperboy.'

function footerText(siteUrl: string, note: string): string {
  return `--\n${note}\nPaperboy: ${siteUrl}\n`
}

export function renderConfirmEmail(templates: CompiledTemplates, raw: ConfirmEmailInputType): RenderedEmail {
  const input = ConfirmEmailInput.parse(raw)
  const subject = 'Confirm your Paperboy subscription'
  const hi = greeting(input.name)
  const html = fillSkeleton(templates.confirm, {
    subject,
    preheader: `One click and the day's papers on your topics start arriving. The link expires in ${input.expiresInHours} hours.`,
    siteUrl: input.site.publicUrl,
    greeting: hi,
    email: input.email,
    settings: input.settings.join('; '),
    expiresInHours: input.expiresInHours,
    actionUrl: input.confirmUrl,
    actionLabel: 'Confirm my subscription',
    footerNote: SIGNUP_NOTE,
  })
  const text =
    `${hi}\n\nSomeone — hopefully you — asked Paperboy to send the day's trending research papers that match your interests to ${input.email}.\n\n` +
    (input.settings.length > 0
      ? `Confirming starts this subscription:\n${input.settings.map((line) => `- ${line}\n`).join('')}\n`
      : '') +
    `Confirm here (the link expires in ${input.expiresInHours} hours):\n${input.confirmUrl}\n\n` +
    'If you did not sign up, ignore this email and nothing more will arrive.\n\n' +
    footerText(input.site.publicUrl, SIGNUP_NOTE)
  return { subject, html, text, headers: { ...AUTO_HEADERS } }
}

export function renderWelcomeEmail(templates: CompiledTemplates, raw: WelcomeEmailInputType): RenderedEmail {
  const input = WelcomeEmailInput.parse(raw)
  const subject = "You're subscribed to Paperboy"
  const hi = greeting(input.name)
  const hour =
    input.sendHour == null
      ? ''
      : ` at ${String(input.sendHour).padStart(2, '0')}:00${input.timezone ? ` (${input.timezone.replaceAll('_', ' ')} time)` : ''}`
  const when =
    input.frequency === 'weekly'
      ? `every ${weekdayName(input.weekday)}${hour}, for the whole week`
      : `every day${hour}`
  const expectation = `You will get up to ${plural(input.maxPapers, 'paper', 'papers')} ${when}: the trending research papers that match your topics and keywords.`
  const html = fillSkeleton(templates.welcome, {
    subject,
    preheader: expectation,
    siteUrl: input.site.publicUrl,
    greeting: hi,
    email: input.email,
    expectation,
    actionUrl: input.preferencesUrl,
    actionLabel: 'Open my preferences',
    unsubscribeUrl: input.unsubscribeUrl,
    feedUrl: input.feedUrl,
    footerNote: MEMBER_NOTE,
  })
  const text =
    `${hi}\n\nYour subscription for ${input.email} is confirmed.\n\n${expectation} ` +
    'Each paper comes with a two-line summary and the reason it was picked for you. If a day has nothing that matches, you get no email.\n\n' +
    `Change topics, keywords, authors, how often and how many papers, or pause, at any time:\n${input.preferencesUrl}\n\n` +
    `The same papers as an Atom feed, for your feed reader:\n${input.feedUrl}\n\n` +
    `Rather stop? Unsubscribe in one click:\n${input.unsubscribeUrl}\n\n` +
    footerText(input.site.publicUrl, MEMBER_NOTE)
  return { subject, html, text, headers: { ...unsubscribeHeaders(input.unsubscribeUrl), ...AUTO_HEADERS } }
}

export function renderManageEmail(templates: CompiledTemplates, raw: ManageEmailInputType): RenderedEmail {
  const input = ManageEmailInput.parse(raw)
  const subject = 'Your Paperboy subscription'
  const hi = greeting(input.name)
  const html = fillSkeleton(templates.manage, {
    subject,
    preheader: 'This address is already subscribed. Change your preferences or unsubscribe here.',
    siteUrl: input.site.publicUrl,
    greeting: hi,
    email: input.email,
    actionUrl: input.preferencesUrl,
    actionLabel: 'Open my preferences',
    unsubscribeUrl: input.unsubscribeUrl,
    feedUrl: input.feedUrl,
    footerNote: MEMBER_NOTE,
  })
  const text =
    `${hi}\n\nSomeone asked to subscribe ${input.email} to Paperboy, and this address already receives it. Nothing has changed.\n\n` +
    `Change your topics, keywords or how often you hear from us:\n${input.preferencesUrl}\n\n` +
    `The same papers as an Atom feed, for your feed reader:\n${input.feedUrl}\n\n` +
    `Rather stop? Unsubscribe in one click:\n${input.unsubscribeUrl}\n\n` +
    footerText(input.site.publicUrl, MEMBER_NOTE)
  return { subject, html, text, headers: { ...unsubscribeHeaders(input.unsubscribeUrl), ...AUTO_HEADERS } }
}
