// The time zones a reader may pick: the ones this Node knows (its ICU data), which is
// also the data every send-at time is computed from. A name is stored as Intl resolves
// it ("asia/kolkata" and "Asia/Kolkata" become Node's "Asia/Calcutta"), so the stored
// zone is always one of the options the preferences page lists.

/** Every zone a reader can choose, UTC first (Node lists UTC under no name of its own). */
export const TIME_ZONES: readonly string[] = [
  'UTC',
  ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC'),
]
const KNOWN = new Set(TIME_ZONES)

/** The zone's canonical name, or null when Node does not know it. */
export function canonicalZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return null
  let resolved: string
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
  } catch {
    return null
  }
  return KNOWN.has(resolved) ? resolved : null
}
