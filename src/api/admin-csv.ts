// CSV for spreadsheets. Every cell is quoted, and a cell that a spreadsheet would run as a
// formula (starting with = + - @, or a tab/CR that some apps skip before looking) gets a
// leading apostrophe: a name like "=HYPERLINK(…)" stays text (OWASP "CSV injection").
export function csvCell(value: unknown): string {
  let s =
    value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return `"${s.replace(/"/g, '""')}"`
}

export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`
}
