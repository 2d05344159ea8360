// The signup form starts from the reader's own time zone: headless Chromium set to a zone
// (as a reader's machine is) gets that zone pre-selected by /assets/preview.js, and the
// signup stores it with the hour picked.
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/app'
import { createSmtpMailer } from '../../../src/delivery/smtp-mailer'
import { createDeps, type Deps } from '../../../src/deps'
import { CHROMIUM, CHROMIUM_ARGS } from '../../support/chromium'
import { resetData, testConfig, testDatabase } from '../../support/db'
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink'

let sink: SmtpSink
let deps: Deps
let app: Awaited<ReturnType<typeof buildApp>>
let browser: Browser
let base: string

beforeAll(async () => {
  sink = await startSmtpSink()
  deps = await createDeps(await testConfig({ DIGEST_TZ: 'UTC', DIGEST_CRON: '0 6 * * *' }), {
    db: await testDatabase(),
    mailer: createSmtpMailer({ url: sink.url, from: 'Paperboy <paperboy@journey.test>', timeoutMs: 5_000 }),
  })
  await resetData(deps.prisma)
  app = await buildApp(deps)
  base = await app.listen({ port: 0, host: '127.0.0.1' })
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
})

afterAll(async () => {
  await browser?.close()
  await app?.close()
  await deps?.close()
  await sink?.close()
})

describe('the time zone field in a browser', () => {
  it("pre-selects the browser's zone and stores it with the chosen hour", async () => {
    const context = await browser.newContext({ timezoneId: 'Asia/Kolkata' })
    const page = await context.newPage()
    await page.goto(`${base}/`)
    // Chromium's ICU, like Node's, names Kolkata by its old name.
    await expect.poll(() => page.locator('#timezone').inputValue()).toBe('Asia/Calcutta')
    expect(await page.locator('#sendHour').inputValue()).toBe('6')
    await page.getByLabel('Email address').fill('zone.reader@example.org')
    await page.getByLabel('Keywords').fill('reinforcement learning')
    await page.locator('#sendHour').selectOption('7')
    await page.getByRole('button', { name: 'Subscribe' }).click()
    await page.getByText('Check your inbox').waitFor()
    // The signup is decided after the answer (signup-queue.ts).
    await app.journey.settled()
    const s = await deps.prisma.subscriber.findUniqueOrThrow({
      where: { emailKey: 'zone.reader@example.org' },
    })
    expect(s).toMatchObject({ timezone: 'Asia/Calcutta', sendHour: 7 })
    await context.close()
  })
})
