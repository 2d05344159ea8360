// HTML forms send flat strings; the schemas want lists, numbers and booleans. This turns a
// urlencoded body into the JSON shape the same zod schema checks, and keeps what the reader
// typed (FormState) so a form with an error comes back filled in.
import type { Preferences } from '../subscribers'

export type RawForm = Record<string, string | string[] | undefined>

export type FormState = {
  email: string
  name: string
  topics: string[]
  keywords: string
  exclude: string
  authors: string
  frequency: string
  weekday: string
  maxPapers: string
  /** '' : not chosen yet (the signup page fills in the service's hour and the browser's zone). */
  sendHour: string
  timezone: string
  fallbackToTrending: boolean
  paused: boolean
}

export const EMPTY_FORM: FormState = {
  email: '',
  name: '',
  topics: [],
  keywords: '',
  exclude: '',
  authors: '',
  frequency: 'daily',
  weekday: '1',
  maxPapers: '10',
  sendHour: '',
  timezone: '',
  fallbackToTrending: false,
  paused: false,
}

const TEXT_FIELDS = ['email', 'name', 'website', 'frequency', 'timezone'] as const
const NUMBER_FIELDS = ['weekday', 'maxPapers', 'sendHour'] as const
const LIST_FIELDS = ['keywords', 'exclude', 'authors'] as const

function first(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? ''
}

/** "a, b\nc" → ["a", "b", "c"]: one per line or comma-separated, as the form's hints say. */
export function splitList(text: string): string[] {
  return text
    .split(/[,\n\r]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

const checked = (v: string | string[] | undefined) =>
  v !== undefined && first(v) !== '' && first(v) !== 'false'

/**
 * The JSON-shaped input for `fields`. A repeated text field stays an array, so the schema
 * answers "must be text" rather than silently taking one of them.
 */
export function formToInput(body: RawForm, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of TEXT_FIELDS) {
    const v = body[f]
    if (fields.includes(f) && v !== undefined && v !== '') out[f] = v
  }
  for (const f of NUMBER_FIELDS) {
    const v = body[f]
    if (!fields.includes(f) || v === undefined || v === '') continue
    // Only a plain decimal becomes a number; anything else stays text and the schema names the field.
    out[f] = typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v
  }
  for (const f of LIST_FIELDS) {
    const v = body[f]
    if (!fields.includes(f) || v === undefined) continue
    out[f] = (Array.isArray(v) ? v : [v]).flatMap(splitList)
  }
  if (fields.includes('topics') && body.topics !== undefined)
    out.topics = Array.isArray(body.topics) ? body.topics : [body.topics]
  if (fields.includes('fallbackToTrending')) out.fallbackToTrending = checked(body.fallbackToTrending)
  if (fields.includes('paused')) out.paused = checked(body.paused)
  return out
}

export function stateFromForm(body: RawForm): FormState {
  const topics = body.topics === undefined ? [] : Array.isArray(body.topics) ? body.topics : [body.topics]
  return {
    email: first(body.email),
    name: first(body.name),
    topics,
    keywords: first(body.keywords),
    exclude: first(body.exclude),
    authors: first(body.authors),
    frequency: first(body.frequency) || 'daily',
    weekday: first(body.weekday) || '1',
    maxPapers: first(body.maxPapers) || '10',
    sendHour: first(body.sendHour),
    timezone: first(body.timezone),
    fallbackToTrending: checked(body.fallbackToTrending),
    paused: checked(body.paused),
  }
}

export function stateFromPreferences(p: Preferences): FormState {
  return {
    email: '',
    name: p.name ?? '',
    topics: p.topics,
    keywords: p.keywords.join('\n'),
    exclude: p.exclude.join('\n'),
    authors: p.authors.join('\n'),
    frequency: p.frequency,
    weekday: String(p.weekday),
    maxPapers: String(p.maxPapers),
    sendHour: p.sendHour === undefined ? '' : String(p.sendHour),
    timezone: p.timezone ?? '',
    fallbackToTrending: p.fallbackToTrending,
    paused: p.paused,
  }
}
