// A date as the outside contract writes it (YYYY-MM-DD), checked to be on the calendar:
// the one schema behind CLI flags, HTTP parameters, ingest and the email inputs.
import { z } from 'zod'

/** The dates a list can have: arXiv opened in August 1991; PostgreSQL has no year 0. */
export const FIRST_DATE = '1991-01-01'
export const LAST_DATE = '2999-12-31'

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`)
    // An impossible month is an Invalid Date (toISOString would throw); 02-30 rolls over.
    return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d)
  }, 'is not a calendar date')
  .refine((d) => d >= FIRST_DATE && d <= LAST_DATE, `must be between ${FIRST_DATE} and ${LAST_DATE}`)
