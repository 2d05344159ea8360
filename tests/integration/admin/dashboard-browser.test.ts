// The dashboard in headless Chromium (Debian's `chromium`, driven by playwright-core)
// against the real app on 127.0.0.1: signed out it sends the browser to sign-in; signed
// in, every chart is drawn by Chart.js with data, under the strict CSP (a blocked script
// or style would be a console error here). The test takes screenshots and measures how
// much of each is not background. If Chromium is missing this fails: it is never skipped.
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/app'
import { createDeps, type Deps } from '../../../src/deps'
import { CHROMIUM, CHROMIUM_ARGS } from '../../support/chromium'
import { testConfig, testDatabase } from '../../support/db'
import { ADMIN_TOKEN } from '../journey/journey-support'
import { seedDashboard } from './dashboard-seed'

const SCREENSHOT = '/tmp/paperboy-dashboard.png'

let deps: Deps
let app: Awaited<ReturnType<typeof buildApp>>
let browser: Browser
let base: string

/**
 * Share of a PNG's pixels that are neither the page background (#f5f6f8) nor a card's
 * white, decoded by the browser itself on a blank page (no CSP there, no PNG library here).
 */
async function inkShare(page: Page, png: Buffer): Promise<number> {
  // Runs in the browser (a string: this file is type-checked without the DOM library).
  return page.evaluate(`(async (b64) => {
    const img = new Image()
    img.src = 'data:image/png;base64,' + b64
    await img.decode()
    const c = document.createElement('canvas')
    c.width = img.width
    c.height = img.height
    const ctx = c.getContext('2d')
    ctx.drawImage(img, 0, 0)
    const px = ctx.getImageData(0, 0, c.width, c.height).data
    const near = (i, r, g, b) => Math.abs(px[i] - r) + Math.abs(px[i + 1] - g) + Math.abs(px[i + 2] - b) < 12
    let ink = 0
    for (let i = 0; i < px.length; i += 4) if (!near(i, 245, 246, 248) && !near(i, 255, 255, 255)) ink++
    return ink / (px.length / 4)
  })(${JSON.stringify(png.toString('base64'))})`)
}

beforeAll(async () => {
  deps = await createDeps(await testConfig({ ADMIN_TOKEN, PUBLIC_URL: 'http://localhost:3000' }), {
    db: await testDatabase(),
  })
  await seedDashboard(deps.prisma)
  app = await buildApp(deps)
  await app.listen({ port: 0, host: '127.0.0.1' })
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
})

afterAll(async () => {
  await browser?.close()
  await app?.close()
  await deps?.close()
})

describe('the dashboard in a real browser', () => {
  it('redirects a signed-out browser to sign-in', async () => {
    const page = await browser.newPage()
    await page.goto(`${base}/admin`)
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in')
    await page.getByRole('heading', { name: 'Operator sign-in' }).waitFor()
    await page.close()
  })

  it('signed in, draws every chart with data; the screenshot is mostly not background', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text())
    })
    page.on('pageerror', (e) => problems.push(e.message))

    await page.goto(`${base}/admin`)
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    const canvases = page.locator('canvas[data-chart]')
    expect(await canvases.count()).toBe(7)
    await expect.poll(() => page.locator('canvas[data-drawn="true"]').count()).toBe(7)

    // Each chart holds data: some dataset with a non-zero value (Chart.js's own model).
    const totals: [string, number][] =
      await page.evaluate(`[...document.querySelectorAll('canvas[data-chart]')].map((c) => {
      const values = Chart.getChart(c).data.datasets.flatMap((d) => d.data).filter((v) => typeof v === 'number')
      return [c.dataset.chart, values.reduce((a, v) => a + Math.abs(v), 0)]
    })`)
    expect(totals.map(([id]) => id)).toEqual([
      'list',
      'journey',
      'deliveries',
      'latency',
      'runs',
      'topics',
      'keywords',
    ])
    for (const [id, total] of totals) expect(total, id).toBeGreaterThan(0)

    // …and its pixels show it: every canvas has ink on it.
    const blank = await context.newPage()
    for (let i = 0; i < 7; i++) {
      const share = await inkShare(blank, await canvases.nth(i).screenshot())
      expect(share, totals[i]![0]).toBeGreaterThan(0.02)
    }
    const shot = await page.screenshot({ path: SCREENSHOT, fullPage: true })
    const share = await inkShare(blank, shot)
    expect(share).toBeGreaterThan(0.05)
    expect(problems).toEqual([])

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByText('You are signed out.').waitFor()
    await page.goto(`${base}/admin`)
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in')
    await context.close()
  })
})
