// Unsubscribe: one button on GET, done at once on POST, and an offer to come back.
import { html } from './html'
import { messagePage } from './layout'

export function unsubscribePage(token: string, email: string): string {
  return messagePage(
    'Unsubscribe from Paperboy',
    [html`Stop all emails to <strong>${email}</strong>? This takes effect at once.`],
    html`<form method="post" action="/unsubscribe/${token}"><button type="submit" class="danger">Unsubscribe</button></form>`,
  )
}

export function unsubscribedPage(token: string, canResubscribe: boolean): string {
  return messagePage(
    "You're unsubscribed",
    ['You will receive nothing more from Paperboy. Sorry to see you go.'],
    canResubscribe
      ? html`<p>Changed your mind?</p><form method="post" action="/unsubscribe/${token}/resubscribe"><button type="submit" class="secondary">Resubscribe</button></form>`
      : html`<p>Changed your mind? <a href="/">Sign up again</a>.</p>`,
  )
}

export function resubscribedPage(): string {
  return messagePage('Welcome back', [
    'Your subscription is active again, with the preferences you had.',
    'The link to your preferences is at the bottom of every email.',
  ])
}

export function badLinkPage(): string {
  return messagePage('This link does not work', [
    'It may have been copied incompletely, or the subscription was deleted. Use the link in your most recent Paperboy email.',
    html`<a href="/">Go to the signup form</a>`,
  ])
}
