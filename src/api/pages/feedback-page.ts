// "More / fewer like this": GET shows the paper and one button (a mail scanner that follows
// the link changes nothing), POST records the vote and says so.
import type { VoteDirection } from '../../subscribers'
import { html } from './html'
import { messagePage } from './layout'

export interface FeedbackView {
  action: string
  direction: VoteDirection
  title: string
  url: string | null
  current: VoteDirection | null
  preferencesPath: string
}

const ASK: Record<VoteDirection, string> = {
  more: 'More papers like this one?',
  fewer: 'Fewer papers like this one?',
}
const BUTTON: Record<VoteDirection, string> = { more: 'More like this', fewer: 'Fewer like this' }
const DONE: Record<VoteDirection, string> = {
  more: 'Noted: more papers like this one. Your next emails weigh it.',
  fewer: 'Noted: fewer papers like this one. It will not be sent again, and similar papers drop.',
}

function paperLine(v: Pick<FeedbackView, 'title' | 'url'>) {
  return v.url
    ? html`<a href="${v.url}" rel="noopener noreferrer">${v.title}</a>`
    : html`<strong>${v.title}</strong>`
}

export function feedbackPage(v: FeedbackView): string {
  const now =
    v.current === v.direction
      ? html`<p class="ok">You already said this; pressing again changes nothing.</p>`
      : v.current
        ? html`<p class="notice">You said “${BUTTON[v.current].toLowerCase()}” before; this replaces it.</p>`
        : ''
  return messagePage(
    ASK[v.direction],
    [paperLine(v)],
    html`${now}<form method="post" action="${v.action}"><button type="submit">${BUTTON[v.direction]}</button></form><p class="hint">Your votes, and what Paperboy learned from them, are on <a href="${v.preferencesPath}">your preferences page</a>, where you can undo any of them.</p>`,
  )
}

export function feedbackDonePage(v: FeedbackView): string {
  return messagePage('Thank you', [
    paperLine(v),
    DONE[v.direction],
    html`Changed your mind? Undo it on <a href="${v.preferencesPath}">your preferences page</a>.`,
  ])
}

export function notSentPage(): string {
  return messagePage('This paper was not sent to you', [
    'A vote counts only for a paper that was in one of your emails.',
  ])
}
