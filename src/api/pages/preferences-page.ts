// /preferences/:token — every choice the reader made, pause/resume, the last papers sent, and
// the same live preview as the signup page (what the latest day would have brought).
import type { Subscriber, VoteSummary } from '../../subscribers'
import type { SentPaper } from '../../subscribers/preferences'
import type { FieldErrors } from '../errors'
import type { FormState } from '../form-body'
import {
  collapseListErrors,
  deliveryFields,
  errorSummary,
  fieldError,
  interestFields,
  type SendDefaults,
  type TopicOption,
} from './form-fields'
import { flag, html, type SafeHtml } from './html'
import { layout } from './layout'

export type PreferencesView = {
  token: string
  subscriber: Subscriber
  topics: readonly TopicOption[]
  state: FormState
  errors?: FieldErrors
  sent: readonly SentPaper[]
  votes: VoteSummary
  notice?: string
  /** Same-origin path of the reader's unsubscribe page. */
  unsubscribePath: string
  /** The reader's private Atom feed (absolute: it is pasted into a feed reader). */
  feedUrl: string
  defaults: SendDefaults
}

function statusLine(s: Subscriber): SafeHtml {
  if (s.status === 'unsubscribed')
    return html`<p class="notice">You are unsubscribed: nothing is sent. Saving here does not change that.</p>`
  if (s.status === 'pending')
    return html`<p class="notice">Your address is not confirmed yet: use the link in the confirmation email.</p>`
  if (s.status === 'bounced')
    return html`<p class="notice">Emails to this address bounced, so we stopped sending.</p>`
  return s.paused
    ? html`<p class="notice">Your emails are paused.</p>`
    : html`<p class="ok">Your subscription is active.</p>`
}

function sentList(sent: readonly SentPaper[]): SafeHtml {
  if (sent.length === 0) return html`<p>Nothing has been sent yet.</p>`
  return html`<ol class="sent">${sent.map(
    (p) =>
      html`<li><span class="date">${p.date}</span> ${p.url ? html`<a href="${p.url}" rel="noopener noreferrer">${p.title}</a>` : p.title}${
        p.why.length ? html`<small>${p.why.join(' · ')}</small>` : ''
      }</li>`,
  )}</ol>`
}

function phraseList(label: string, phrases: VoteSummary['phrases']['more']): SafeHtml {
  if (phrases.length === 0) return html``
  return html`<p>${label} ${phrases.map(
    (p, i) =>
      html`${i > 0 ? ', ' : ''}<strong>${p.quote}</strong> <small>(${p.papers} ${p.papers === 1 ? 'paper' : 'papers'})</small>`,
  )}</p>`
}

function votesCard(action: string, v: VoteSummary): SafeHtml {
  if (v.votes.length === 0)
    return html`<aside class="card" id="votes"><h2>More / fewer like this</h2><p>No votes yet. Every paper in your emails has “More like this” and “Fewer like this” links: your next emails learn from them.</p></aside>`
  return html`<aside class="card" id="votes">
<h2>More / fewer like this</h2>
${phraseList('What Paperboy learned you like most:', v.phrases.more)}
${phraseList('And less:', v.phrases.fewer)}
<ol class="sent">${v.votes.map(
    (vote) =>
      html`<li><span class="date">${vote.direction === 'more' ? 'More' : 'Fewer'}</span> ${
        vote.url ? html`<a href="${vote.url}" rel="noopener noreferrer">${vote.title}</a>` : vote.title
      } <form method="post" action="${action}" class="inline-form"><input type="hidden" name="_action" value="undo-vote"><input type="hidden" name="paperId" value="${vote.paperId}"><button type="submit" class="secondary">Undo</button></form></li>`,
  )}</ol>
<form method="post" action="${action}" class="inline-form">
<input type="hidden" name="_action" value="forget-votes">
<button type="submit" class="secondary">Forget what you learned</button>
</form>
<p class="hint">Forgetting removes every vote; your next emails are picked by your topics and keywords alone.</p>
</aside>`
}

export function preferencesPage(v: PreferencesView): string {
  const errors = collapseListErrors(v.errors ?? {})
  const s = v.state
  const action = `/preferences/${v.token}`
  const body = html`<section class="card">
<h1>Your preferences</h1>
<p>For <strong>${v.subscriber.email}</strong>.</p>
${statusLine(v.subscriber)}
${v.notice ? html`<p class="ok" role="status">${v.notice}</p>` : ''}
<form method="post" action="${action}" class="inline-form">
<input type="hidden" name="_action" value="${v.subscriber.paused ? 'resume' : 'pause'}">
<button type="submit" class="secondary">${v.subscriber.paused ? 'Resume emails' : 'Pause emails'}</button>
</form>
</section>
<div class="columns">
<form method="post" action="${action}" id="preferences" class="card" novalidate>
<input type="hidden" name="_action" value="save">
${errorSummary(errors)}
<fieldset>
<legend>You</legend>
<div class="field${errors.name ? ' invalid' : ''}">
<label for="name">Name <span class="optional">(optional)</span></label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="100" value="${s.name}">
${fieldError('name', errors)}</div>
<div class="field"><label class="check"><input type="checkbox" name="paused" value="on"${flag(s.paused, 'checked')}> Pause my emails</label></div>
</fieldset>
${interestFields(v.topics, s, errors)}
${deliveryFields(s, errors, v.defaults)}
<button type="submit">Save preferences</button>
</form>
<div>
<aside id="preview" class="card preview" aria-live="polite" hidden>
<h2>With these choices</h2>
<p class="preview-status" id="preview-status">Change a choice to see what you would have got.</p>
<ol class="preview-list" id="preview-list"></ol>
</aside>
<aside class="card" id="feed">
<h2>Your feed</h2>
<p>The papers of your emails, with why each was picked, as an Atom feed for your feed reader (the last 30 days). The address is private: anyone who has it can read your papers.</p>
<p><a href="${v.feedUrl}">${v.feedUrl}</a></p>
<form method="post" action="${action}" class="inline-form">
<input type="hidden" name="_action" value="new-feed-link">
<button type="submit" class="secondary">Replace the feed address</button>
</form>
<p class="hint">Replacing it stops the old address at once; your emails' links keep working.</p>
</aside>
${votesCard(action, v.votes)}
<aside class="card">
<h2>Recently sent to you</h2>
${sentList(v.sent)}
<p class="leave"><a href="${v.unsubscribePath}">Unsubscribe</a></p>
</aside>
</div>
</div>`
  return layout({ title: 'Preferences', body, script: '/assets/preview.js' })
}
