// Form fragments shared by the signup and preferences pages: every input has a <label>,
// hints and errors are tied to it with aria-describedby, and errors repeat what to fix.
import type { SendDefaults } from '../../subscribers'
import { TIME_ZONES } from '../../subscribers/time-zone'
import type { FieldErrors } from '../errors'
import type { FormState } from '../form-body'
import { flag, html, type SafeHtml } from './html'

export type TopicOption = { slug: string; name: string; description: string }

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const HOURS = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`)

export type { SendDefaults }

function describedBy(id: string, hint: boolean, errors: FieldErrors): SafeHtml {
  const ids = [hint ? `${id}-hint` : '', errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ')
  return ids ? html` aria-describedby="${ids}"` : html``
}

export function fieldError(id: string, errors: FieldErrors): SafeHtml {
  const e = errors[id]
  return e ? html`<p class="error" id="${id}-error">${e}</p>` : html``
}

/** Errors on list items ("keywords.3") are shown on the list field itself. */
export function collapseListErrors(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {}
  for (const [k, v] of Object.entries(errors)) {
    const [field, index] = k.split('.')
    const key = field ?? k
    out[key] ??= index === undefined ? v : `item ${Number(index) + 1}: ${v}`
  }
  return out
}

export function errorSummary(errors: FieldErrors): SafeHtml {
  const entries = Object.entries(errors)
  if (entries.length === 0) return html``
  return html`<div class="summary" role="alert"><p>Please fix ${entries.length === 1 ? 'this' : 'these'}:</p><ul>${entries.map(
    ([k, v]) => html`<li><a href="#${k}">${k === 'maxPapers' ? 'papers per email' : k}</a>: ${v}</li>`,
  )}</ul></div>`
}

function textarea(id: string, label: string, hint: string, value: string, errors: FieldErrors): SafeHtml {
  return html`<div class="field${errors[id] ? ' invalid' : ''}">
<label for="${id}">${label}</label>
<p class="hint" id="${id}-hint">${hint}</p>
<textarea id="${id}" name="${id}" rows="2"${describedBy(id, true, errors)}>${value}</textarea>
${fieldError(id, errors)}</div>`
}

export function interestFields(topics: readonly TopicOption[], s: FormState, errors: FieldErrors): SafeHtml {
  const chosen = new Set(s.topics)
  return html`<fieldset id="topics"${errors.topics ? html` class="invalid"` : ''}>
<legend>Topics</legend>
${fieldError('topics', errors)}
<div class="topics">${topics.map(
    (
      t,
    ) => html`<label class="topic"><input type="checkbox" name="topics" value="${t.slug}"${flag(chosen.has(t.slug), 'checked')}>
<span><strong>${t.name}</strong><small>${t.description}</small></span></label>`,
  )}</div>
</fieldset>
<fieldset>
<legend>Keywords and authors</legend>
${textarea('keywords', 'Keywords', 'Phrases to look for, one per line or separated by commas, e.g. diffusion policy, sparse attention.', s.keywords, errors)}
${textarea('exclude', 'Never send papers about', 'Phrases that rule a paper out, e.g. survey.', s.exclude, errors)}
${textarea('authors', 'Authors to follow', 'Their papers always come first. One per line, e.g. Yann LeCun.', s.authors, errors)}
</fieldset>`
}

/**
 * The hour and zone the email arrives in. With nothing chosen yet the zone select carries
 * data-prefill, and /assets/preview.js picks the browser's own zone (Intl) when it is listed.
 */
function whenFields(s: FormState, errors: FieldErrors, defaults: SendDefaults): SafeHtml {
  const hour = s.sendHour === '' ? String(defaults.sendHour) : s.sendHour
  const zone = s.timezone === '' ? defaults.timezone : s.timezone
  const zones = TIME_ZONES.includes(zone) ? TIME_ZONES : [zone, ...TIME_ZONES]
  return html`<div class="field${errors.sendHour ? ' invalid' : ''}">
<label for="sendHour">Arrives at</label>
<select id="sendHour" name="sendHour"${describedBy('sendHour', true, errors)}>${HOURS.map(
    (label, h) => html`<option value="${h}"${flag(hour === String(h), 'selected')}>${label}</option>`,
  )}</select>
<p class="hint" id="sendHour-hint">Your local time, in the time zone below. Weekly emails arrive on your day in that zone.</p>
${fieldError('sendHour', errors)}</div>
<div class="field${errors.timezone ? ' invalid' : ''}">
<label for="timezone">Time zone</label>
<select id="timezone" name="timezone"${flag(s.timezone === '', 'data-prefill')}${describedBy('timezone', false, errors)}>${zones.map(
    (z) => html`<option value="${z}"${flag(z === zone, 'selected')}>${z.replaceAll('_', ' ')}</option>`,
  )}</select>
${fieldError('timezone', errors)}</div>`
}

export function deliveryFields(s: FormState, errors: FieldErrors, defaults: SendDefaults): SafeHtml {
  return html`<fieldset>
<legend>How often</legend>
<div class="field inline" id="frequency">
<label><input type="radio" name="frequency" value="daily"${flag(s.frequency !== 'weekly', 'checked')}> Every day</label>
<label><input type="radio" name="frequency" value="weekly"${flag(s.frequency === 'weekly', 'checked')}> Once a week</label>
${fieldError('frequency', errors)}
</div>
<div class="field">
<label for="weekday">Day for the weekly email</label>
<select id="weekday" name="weekday"${describedBy('weekday', false, errors)}>${WEEKDAYS.map(
    (d, i) => html`<option value="${i}"${flag(s.weekday === String(i), 'selected')}>${d}</option>`,
  )}</select>
${fieldError('weekday', errors)}</div>
${whenFields(s, errors, defaults)}
<div class="field">
<label for="maxPapers">Papers per email</label>
<input id="maxPapers" name="maxPapers" type="number" inputmode="numeric" min="1" max="25" value="${s.maxPapers}"${describedBy('maxPapers', true, errors)}>
<p class="hint" id="maxPapers-hint">From 1 to 25.</p>
${fieldError('maxPapers', errors)}</div>
<div class="field">
<label class="check"><input type="checkbox" name="fallbackToTrending" value="on"${flag(s.fallbackToTrending, 'checked')}> When nothing matches, send the day's top trending papers instead of no email</label>
</div>
</fieldset>`
}
