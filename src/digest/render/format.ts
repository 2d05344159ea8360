// Small text rules shared by the HTML and plain-text parts, so both say the same thing.
import { sliceWhole } from '../../text/cut'

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const DAYS_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const MONTHS_LONG = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

// Anything but single spaces between words: a tab, CR/LF, a double space, an edge space.
const LOOSE_SPACE = /[^\S ]| {2}|^ | $/

/** Whitespace runs (CR/LF included) as one space, trimmed: text that must stay on one line. */
export function oneLine(text: string): string {
  // Tested first: nearly every value is already one clean line, and replace() would copy it.
  return LOOSE_SPACE.test(text) ? text.replace(/\s+/g, ' ').trim() : text
}

// A list date is a calendar day, not an instant: read and print it in UTC so the server's
// timezone can never shift "2025-06-02" to the 1st.
function utcDay(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`)
}

/** "Thu 11 Sep" — for subjects, where space is short. */
export function shortDate(isoDate: string): string {
  const d = utcDay(isoDate)
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`
}

/** "Thursday 11 September 2025" — for the email body and the archive page. */
export function longDate(isoDate: string): string {
  const d = utcDay(isoDate)
  return `${DAYS_LONG[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS_LONG[d.getUTCMonth()]} ${d.getUTCFullYear()}`
}

export function weekdayName(day: number): string {
  return DAYS_LONG[day] ?? 'Monday'
}

/** "A, B, C et al." — three names tell a reader whose lab it is; thirty fill a phone screen. */
export function shortenAuthors(authors: readonly string[], keep = 3): string {
  const names = authors.map((a) => a.trim()).filter(Boolean)
  return names.length > keep ? `${names.slice(0, keep).join(', ')} et al.` : names.join(', ')
}

/**
 * About two lines of a 600 px email: at most `max` characters, cut at a word boundary.
 * A complete sentence that fits is kept whole rather than clipped mid-thought.
 */
export function twoLines(text: string, max = 260): string {
  const clean = text.replace(/\s+/g, ' ').trim()
  if (clean.length <= max) return clean
  const sentenceEnd = clean.lastIndexOf('. ', max)
  if (sentenceEnd >= 200) return clean.slice(0, sentenceEnd + 1)
  const space = clean.lastIndexOf(' ', max)
  const cut = sliceWhole(clean, space > 0 ? space : max).replace(/[\s,;:.\-–—(]+$/, '')
  return `${cut}…`
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}
