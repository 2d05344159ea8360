// The whole journey in headless Chromium (Debian's `chromium`, driven by playwright-core)
// against the real app listening on 127.0.0.1: fill the form, watch the live preview,
// submit, open the confirmation link from the email, confirm, change a preference,
// unsubscribe. If Chromium is missing this fails: it is never skipped.
import { createServer } from 'node:net'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/app'
import { createSmtpMailer } from '../../../src/delivery/smtp-mailer'
import { createDeps, type Deps } from '../../../src/deps'
import { ingestDay } from '../../../src/ingest/ingest-day'
import { CHROMIUM, CHROMIUM_ARGS } from '../../support/chromium'
import { testConfig, testDatabase } from '../../support/db'
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink'

/** A free port, so PUBLIC_URL (and so every emailed link) can name it before the app starts. */
async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
  const { port } = srv.address() as { port: number }
  await new Promise<void>((r) => srv.close(() => r()))
  return port
}

let sink: SmtpSink
let deps: Deps
let app: Awaited<ReturnType<typeof buildApp>>
let browser: Browser
let base: string

async function mailTo(to: string, count: number) {
  const deadline = Date.now() + 15_000
  for (;;) {
    const got = sink.messages.filter((m) => m.to.includes(to))
    if (got.length >= count) return got
    if (Date.now() > deadline) throw new Error(`expected ${count} message(s) to ${to}, got ${got.length}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

function link(text: string | undefined, path: string): string {
  const m = new RegExp(`${base}${path}[^\\s]+`).exec(text ?? '')
  if (!m) throw new Error(`no ${path} link`)
  return m[0]
}

beforeAll(async () => {
  sink = await startSmtpSink({ parse: 'full' })
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  deps = await createDeps(await testConfig({ PUBLIC_URL: base }), {
    db: await testDatabase(),
    mailer: createSmtpMailer({ url: sink.url, from: 'Paperboy <paperboy@journey.test>', timeoutMs: 5_000 }),
  })
  await ingestDay(deps.prisma, { date: '2025-06-02', file: 'tests/fixtures/hf-daily-papers-2025-06-02.json' })
  app = await buildApp(deps)
  await app.listen({ port, host: '127.0.0.1' })
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
})

afterAll(async () => {
  await browser?.close()
  await app?.close()
  await deps?.close()
  await sink?.close()
})

describe('the journey in a real browser', () => {
  it('signs up with a live preview, confirms, changes a preference and unsubscribes', async () => {
    // A phone-sized window: the pages must work there.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 })
    const page: Page = await context.newPage()
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text())
    })
    page.on('pageerror', (e) => problems.push(e.message))

    await page.goto(`${base}/`)
    await expect(page.title()).resolves.toBe('Subscribe · Paperboy')
    // The preview script ran (no inline script: the CSP allows only our own file).
    await page.getByText('From the 2025-06-02 list you would have got').waitFor()
    await page.screenshot({ path: '/tmp/paperboy-signup-phone.png' })

    await page.getByLabel('Email address').fill('browser.reader@example.org')
    await page.getByLabel('Name').fill('Bea Browser')
    await page.getByLabel('Keywords').fill('reinforcement learning')
    await page.getByLabel('Papers per email').fill('3')
    const firstPreview = page.locator('#preview-list li').first()
    await expect.poll(() => firstPreview.textContent(), { timeout: 10_000 }).toMatch(/ProRL/)
    await expect.poll(() => page.locator('#preview-list li').count()).toBeLessThanOrEqual(3)
    await expect(page.locator('#preview-list li').first().locator('small').textContent()).resolves.toMatch(
      /reinforcement learning/i,
    )

    await page.getByRole('button', { name: 'Subscribe' }).click()
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor()
    await app.journey.settled()
    const pending = await deps.prisma.subscriber.findUniqueOrThrow({
      where: { emailKey: 'browser.reader@example.org' },
    })
    expect(pending).toMatchObject({ status: 'pending', name: 'Bea Browser', maxPapers: 3 })

    const [confirmMail] = await mailTo('browser.reader@example.org', 1)
    await page.goto(link(confirmMail!.text, '/confirm/'))
    await page.getByRole('button', { name: 'Confirm my subscription' }).click()
    await page.getByRole('heading', { name: "You're subscribed" }).waitFor()
    expect((await deps.prisma.subscriber.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe(
      'active',
    )

    const [, welcome] = await mailTo('browser.reader@example.org', 2)
    await page.goto(link(welcome!.text, '/preferences/'))
    await page.getByRole('heading', { name: 'Your preferences' }).waitFor()
    // The same live preview, on the reader's saved choices.
    await expect
      .poll(() => page.locator('#preview-list li').first().textContent(), { timeout: 10_000 })
      .toMatch(/ProRL/)
    await page.getByLabel('Once a week').check()
    await page.getByLabel('Day for the weekly email').selectOption({ label: 'Friday' })
    await page.getByLabel('Papers per email').fill('7')
    await page.getByRole('button', { name: 'Save preferences' }).click()
    await page.getByText('Your preferences are saved.').waitFor()
    expect(await deps.prisma.subscriber.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      frequency: 'weekly',
      weekday: 5,
      maxPapers: 7,
    })
    await expect(page.getByLabel('Papers per email').inputValue()).resolves.toBe('7')

    await page.getByRole('link', { name: 'Unsubscribe' }).click()
    await page.getByRole('button', { name: 'Unsubscribe' }).click()
    await page.getByRole('heading', { name: "You're unsubscribed" }).waitFor()
    expect((await deps.prisma.subscriber.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe(
      'unsubscribed',
    )
    await page.getByRole('button', { name: 'Resubscribe' }).waitFor()

    expect(problems).toEqual([])
    await context.close()
  })

  it('the form works with JavaScript off, and shows field errors in place', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
    })
    const page = await context.newPage()
    await page.goto(`${base}/`)
    await expect(page.locator('#preview').isHidden()).resolves.toBe(true)
    await page.getByLabel('Email address').fill('not an address')
    await page.getByLabel('Keywords').fill('world model')
    await page.getByRole('button', { name: 'Subscribe' }).click()
    await page.getByRole('alert').waitFor()
    await expect(page.locator('#email-error').textContent()).resolves.toMatch(/spaces/)
    // What was typed comes back.
    await expect(page.getByLabel('Keywords').inputValue()).resolves.toBe('world model')
    await page.getByLabel('Email address').fill('nojs@example.org')
    await page.getByRole('button', { name: 'Subscribe' }).click()
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor()
    await mailTo('nojs@example.org', 1)
    await context.close()
  })
})
