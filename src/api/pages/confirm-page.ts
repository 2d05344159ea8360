// The confirmation page: GET shows one button (mail scanners open links but do not press
// buttons); the POST answers with the welcome page.
import { html } from './html'
import { messagePage } from './layout'

export function confirmPage(token: string, email: string): string {
  return messagePage(
    'Confirm your subscription',
    [html`One click and the day's papers start arriving at <strong>${email}</strong>.`],
    html`<form method="post" action="/confirm/${token}"><button type="submit">Confirm my subscription</button></form>`,
  )
}

export function confirmedPage(): string {
  return messagePage("You're subscribed", [
    'Welcome aboard. Your first email comes with the next trending list that matches your interests.',
    'We have sent you a welcome email with a link to your preferences: change topics, keywords, how often, or pause at any time.',
  ])
}

export function confirmExpiredPage(): string {
  return messagePage('This link has expired', [
    'Confirmation links work for 72 hours. Sign up again with the same address to get a fresh one.',
    html`<a href="/">Back to the signup form</a>`,
  ])
}

export function confirmUnknownPage(): string {
  return messagePage('This link does not work', [
    'It was already used, replaced by a newer one, or copied incompletely. If you have already confirmed, you are subscribed and there is nothing more to do.',
    html`<a href="/">Back to the signup form</a>`,
  ])
}
