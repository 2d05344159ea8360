// Cutting text to a length without cutting a character in two: a slice that ends between
// the two halves of a surrogate pair (an emoji, a rare CJK character) leaves a lone
// surrogate, which PostgreSQL refuses and mail clients show as garbage.

/** The first `max` UTF-16 units of `text`, one fewer when that would split a surrogate pair. */
export function sliceWhole(text: string, max: number): string {
  if (text.length <= max) return text
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max
  return text.slice(0, end)
}

/** At most `max` units, cut at a word boundary near the end when there is one, with "…". */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text
  const head = sliceWhole(text, max - 1)
  const space = head.lastIndexOf(' ')
  const cut = space >= max * 0.8 ? head.slice(0, space) : head
  return `${cut.trimEnd()}…`
}
