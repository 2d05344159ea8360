// Every value that reaches HTML went through here: feed text (titles, abstracts, authors),
// reader names, and URLs placed in attributes. Quotes are escaped too, so the same function
// is safe in text and in double- or single-quoted attribute values.
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const SPECIAL = /[&<>"']/g
const HAS_SPECIAL = /[&<>"']/

export function escapeHtml(value: string): string {
  // Most values have nothing to escape; skipping the replace keeps 100,000 renders cheap.
  return HAS_SPECIAL.test(value) ? value.replace(SPECIAL, (c) => ENTITY[c]!) : value
}
