// GET / : what Paperboy sends, the signup form, and the live preview (filled in by
// /assets/preview.js; without JavaScript the form works the same and the preview stays hidden).
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
import { html } from './html'
import { layout, messagePage } from './layout'

export function signupPage(
  topics: readonly TopicOption[],
  s: FormState,
  defaults: SendDefaults,
  rawErrors: FieldErrors = {},
): string {
  const errors = collapseListErrors(rawErrors)
  const body = html`<section class="intro">
<h1>The day's trending papers, picked for you</h1>
<p>Every morning Paperboy reads the day's trending research papers and emails you the ones that match your topics, keywords and favourite authors — each with a short reason why it was picked. Daily or weekly, up to 25 papers, unsubscribe in one click.</p>
</section>
<div class="columns">
<form method="post" action="/subscribe" id="signup" class="card" novalidate>
${errorSummary(errors)}
<fieldset>
<legend>You</legend>
<div class="field${errors.email ? ' invalid' : ''}">
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${s.email}"${errors.email ? html` aria-invalid="true" aria-describedby="email-error"` : ''}>
${fieldError('email', errors)}</div>
<div class="field${errors.name ? ' invalid' : ''}">
<label for="name">Name <span class="optional">(optional)</span></label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="100" value="${s.name}"${errors.name ? html` aria-invalid="true" aria-describedby="name-error"` : ''}>
${fieldError('name', errors)}</div>
<div class="hp" aria-hidden="true">
<label for="website">Leave this field empty</label>
<input id="website" name="website" type="text" tabindex="-1" autocomplete="off">
</div>
</fieldset>
${interestFields(topics, s, errors)}
${deliveryFields(s, errors, defaults)}
<a href="#preview" class="peek" id="preview-peek" hidden></a>
<p class="note">We send one email to confirm your address. Nothing else arrives until you click the link in it.</p>
<button type="submit">Subscribe</button>
</form>
<aside id="preview" class="card preview" aria-live="polite" hidden>
<h2>Preview</h2>
<p class="preview-status" id="preview-status">Pick topics or type keywords to see what you would have got.</p>
<ol class="preview-list" id="preview-list"></ol>
</aside>
</div>`
  return layout({ title: 'Subscribe', body, script: '/assets/preview.js' })
}

export function thanksPage(): string {
  return messagePage('Check your inbox', [
    'If that address can receive email, a confirmation link is on its way. The link works for 72 hours.',
    'Nothing else is sent until you click it. No email after a few minutes? Look in the spam folder, or sign up again in ten minutes.',
  ])
}
