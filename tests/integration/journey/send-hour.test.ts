// The reader's hour and zone through the real app: the signup page offers every zone Node
// knows with the service's hour pre-selected; the JSON API and the forms store a valid
// choice (zone names as Intl resolves them), keep the service's when none is given, and
// answer a bad zone or hour with a 400 naming the field and nothing stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linkToken } from '../../../src/subscribers'
import { resetData } from '../../support/db'
import { type Journey, rowCounts, startJourney } from './journey-support'

const FORM = 'application/x-www-form-urlencoded'
let j: Journey

beforeAll(async () => {
  j = await startJourney({ DIGEST_CRON: '30 7 * * *', DIGEST_TZ: 'Europe/Berlin' })
  await resetData(j.deps.prisma)
})
afterAll(() => j?.close())

/** Signs up and waits until the signup is decided (it is, after the answer). */
const subscribe = async (body: Record<string, unknown>) => {
  const res = await j.app.inject({
    method: 'POST',
    url: '/api/subscriptions',
    payload: { topics: ['robotics'], ...body },
  })
  await j.app.journey.settled()
  return res
}

const stored = (email: string) => j.deps.prisma.subscriber.findUniqueOrThrow({ where: { emailKey: email } })

describe('send hour and time zone', () => {
  it('the signup page lists every zone and pre-selects the hour of DIGEST_CRON in DIGEST_TZ', async () => {
    const page = (await j.app.inject('/')).body
    expect(page).toContain('<option value="7" selected>07:00</option>')
    expect(page).toMatch(/<select id="timezone" name="timezone" data-prefill[^>]*>/)
    expect(page).toContain('<option value="Europe/Berlin" selected>')
    const options = page.match(/<option value="[A-Za-z_/+-]+"/g)!.length
    expect(options).toBeGreaterThan(400)
    for (const zone of ['Pacific/Honolulu', 'Asia/Calcutta', 'Asia/Katmandu', 'Pacific/Kiritimati', 'UTC'])
      expect(page).toContain(`<option value="${zone}"`)
  })

  it('stores a chosen zone (as Node names it) and hour; without them, the service schedule', async () => {
    expect(
      (await subscribe({ email: 'a@example.org', timezone: 'Asia/Kolkata', sendHour: 6 })).statusCode,
    ).toBe(202)
    expect(await stored('a@example.org')).toMatchObject({ timezone: 'Asia/Calcutta', sendHour: 6 })
    expect(
      (await subscribe({ email: 'b@example.org', timezone: 'america/new_york', sendHour: 0 })).statusCode,
    ).toBe(202)
    expect(await stored('b@example.org')).toMatchObject({ timezone: 'America/New_York', sendHour: 0 })
    expect((await subscribe({ email: 'c@example.org' })).statusCode).toBe(202)
    expect(await stored('c@example.org')).toMatchObject({ timezone: 'Europe/Berlin', sendHour: 7 })
  })

  it('a bad zone or hour is a 400 naming the field, and stores nothing', async () => {
    await j.app.journey.settled()
    const before = await rowCounts(j.deps.prisma)
    const bad: [Record<string, unknown>, string][] = [
      [{ timezone: 'Mars/Olympus_Mons' }, 'timezone'],
      [{ timezone: 'Europe/Berlin; DROP TABLE' }, 'timezone'],
      [{ timezone: '+05:30' }, 'timezone'],
      [{ timezone: '' }, 'timezone'],
      [{ timezone: 42 }, 'timezone'],
      [{ sendHour: 24 }, 'sendHour'],
      [{ sendHour: -1 }, 'sendHour'],
      [{ sendHour: 7.5 }, 'sendHour'],
      [{ sendHour: '7' }, 'sendHour'],
    ]
    for (const [fields, name] of bad) {
      const res = await subscribe({ email: 'd@example.org', ...fields })
      expect(res.statusCode, JSON.stringify(fields)).toBe(400)
      expect(Object.keys(res.json().fields), JSON.stringify(fields)).toEqual([name])
    }
    const form = await j.app.inject({
      method: 'POST',
      url: '/subscribe',
      headers: { 'content-type': FORM },
      payload: new URLSearchParams({
        email: 'e@example.org',
        sendHour: '25',
        timezone: 'Nowhere/Else',
      }).toString(),
    })
    expect(form.statusCode).toBe(400)
    expect(form.body).toContain('id="sendHour-error"')
    expect(form.body).toContain('id="timezone-error"')
    expect(await rowCounts(j.deps.prisma)).toEqual(before)
  })

  it('the preferences form shows and saves the reader choice', async () => {
    const s = await stored('a@example.org')
    const url = `/preferences/${linkToken(j.deps.config.appSecret, s, 'preferences')}`
    const page = (await j.app.inject(url)).body
    expect(page).toContain('<option value="6" selected>06:00</option>')
    expect(page).toContain('<option value="Asia/Calcutta" selected>')
    expect(page).not.toMatch(/name="timezone" data-prefill/)
    const save = (fields: Record<string, string>) =>
      j.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': FORM },
        payload: new URLSearchParams({ _action: 'save', topics: 'robotics', ...fields }).toString(),
      })
    expect((await save({ timezone: 'Pacific/Auckland', sendHour: '21' })).statusCode).toBe(303)
    expect(await stored('a@example.org')).toMatchObject({ timezone: 'Pacific/Auckland', sendHour: 21 })
    const bad = await save({ timezone: 'Pacific/Atlantis', sendHour: '21' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('id="timezone-error"')
    expect(await stored('a@example.org')).toMatchObject({ timezone: 'Pacific/Auckland', sendHour: 21 })
  })
})
