// The reader's journey through HTTP, with real PostgreSQL and a real SMTP server: sign up,
// the confirmation email arrives, its link confirms (GET shows a button, POST confirms),
// the welcome email arrives, preferences change, and the List-Unsubscribe URL of a
// delivered digest unsubscribes with the RFC 8058 one-click POST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cardFromPaper, compileTemplates, prepareCard, renderDigest } from '../../../src/digest/render'
import { hashToken, subscriberLinks } from '../../../src/subscribers'
import { setItems } from '../../support/delivery-items'
import { type Journey, linkIn, pathOf, startJourney } from './journey-support'

const FORM = 'application/x-www-form-urlencoded'
const form = (fields: Record<string, string | string[]>) => {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) p.append(k, one)
  return p.toString()
}

let j: Journey
beforeAll(async () => {
  j = await startJourney()
})
afterAll(async () => {
  await j?.close()
})

describe('the reader journey over HTTP', () => {
  it('signs up, confirms, tunes preferences and unsubscribes in one click', async () => {
    const { app, deps } = j
    const prisma = deps.prisma

    const home = await app.inject('/')
    expect(home.statusCode).toBe(200)
    expect(home.headers['content-security-policy']).toContain("script-src 'self'")
    expect(home.body).toContain('name="topics" value="robotics"')
    expect(home.body).toContain('<label for="email">')
    const reload = await app.inject('/subscribe')
    expect([reload.statusCode, reload.headers.location]).toEqual([303, '/'])

    const signup = await app.inject({
      method: 'POST',
      url: '/subscribe',
      headers: { 'content-type': FORM },
      payload: form({
        email: '  Ada.Lovelace@Example.ORG ',
        name: 'Ada <b>Lovelace</b>',
        topics: ['robotics', 'reinforcement-learning'],
        keywords: 'diffusion policy, world model',
        exclude: 'survey',
        authors: 'Sergey Levine',
        frequency: 'weekly',
        weekday: '3',
        maxPapers: '5',
        website: '',
      }),
    })
    expect(signup.statusCode).toBe(200)
    expect(signup.body).toContain('Check your inbox')
    await app.journey.settled()

    const pending = await prisma.subscriber.findUniqueOrThrow({
      where: { emailKey: 'ada.lovelace@example.org' },
    })
    expect(pending).toMatchObject({
      email: 'Ada.Lovelace@example.org',
      name: 'Ada <b>Lovelace</b>',
      status: 'pending',
      frequency: 'weekly',
      weekday: 3,
      maxPapers: 5,
    })
    const interests = await prisma.interest.findMany({
      where: { subscriberId: pending.id },
      orderBy: { id: 'asc' },
    })
    expect(interests.map((i) => `${i.kind}:${i.term}`)).toEqual([
      'keyword:diffusion policy',
      'keyword:world model',
      'exclude:survey',
      'author:Sergey Levine',
    ])

    const [confirmMail] = await j.mailTo('Ada.Lovelace@example.org')
    expect(confirmMail!.subject).toBe('Confirm your Paperboy subscription')
    const confirmUrl = linkIn(confirmMail!, '/confirm/')
    expect(confirmUrl.startsWith('http://localhost:3000/confirm/')).toBe(true)
    const token = confirmUrl.split('/').at(-1)!
    // Stored hashed, never as sent.
    expect(pending.confirmTokenHash).toBe(hashToken(token))
    expect(JSON.stringify(pending)).not.toContain(token)
    // The email's ledger row kept the token only until it was sent.
    await j.mailSettled()
    const queued = await prisma.journeyEmail.findFirstOrThrow({ where: { subscriberId: pending.id } })
    expect(queued).toMatchObject({ kind: 'confirm', status: 'sent', attempts: 1, token: null })
    // Not subscribed yet: nothing to unsubscribe from, so no unsubscribe link or header.
    expect(confirmMail!.headers.has('list-unsubscribe')).toBe(false)
    expect(confirmMail!.headers.has('list-unsubscribe-post')).toBe(false)
    expect(confirmMail!.text).not.toContain('/unsubscribe/')
    // The name is escaped in the email's HTML.
    expect(confirmMail!.html).not.toContain('<b>Lovelace')

    const page = await app.inject(pathOf(confirmUrl))
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(`<form method="post" action="/confirm/${token}">`)
    expect((await prisma.subscriber.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe('pending')

    const confirmed = await app.inject({
      method: 'POST',
      url: pathOf(confirmUrl),
      headers: { 'content-type': FORM },
    })
    expect(confirmed.statusCode).toBe(200)
    expect(confirmed.body).toContain('You&#39;re subscribed')
    const active = await prisma.subscriber.findUniqueOrThrow({ where: { id: pending.id } })
    expect(active.status).toBe('active')
    expect(active.confirmedAt).toBeInstanceOf(Date)
    expect(active.confirmTokenHash).toBeNull()

    // Works once.
    const again = await app.inject({ method: 'POST', url: pathOf(confirmUrl) })
    expect(again.statusCode).toBe(404)

    const [, welcome] = await j.mailTo('Ada.Lovelace@example.org', 2)
    expect(welcome!.subject).toBe("You're subscribed to Paperboy")
    const prefsUrl = linkIn(welcome!, '/preferences/')
    const activeLinks = subscriberLinks('http://localhost:3000', deps.config.appSecret, active)
    expect(prefsUrl).toBe(activeLinks.preferencesUrl)
    // A subscribed reader's email: a visible unsubscribe link and the one-click headers.
    expect(linkIn(welcome!, '/unsubscribe/')).toBe(activeLinks.unsubscribeUrl)
    expect(welcome!.html).toContain(`href="${activeLinks.unsubscribeUrl}"`)
    expect(welcome!.headers.get('list-unsubscribe')).toBe(`<${activeLinks.unsubscribeUrl}>`)
    expect(welcome!.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click')

    const prefsPage = await app.inject(pathOf(prefsUrl))
    expect(prefsPage.statusCode).toBe(200)
    expect(prefsPage.body).toContain('diffusion policy\nworld model</textarea>')
    expect(prefsPage.body).toContain('Ada &lt;b&gt;Lovelace&lt;/b&gt;')
    expect(prefsPage.body).toContain('Nothing has been sent yet.')

    const saved = await app.inject({
      method: 'POST',
      url: pathOf(prefsUrl),
      headers: { 'content-type': FORM },
      payload: form({
        _action: 'save',
        name: 'Ada',
        topics: 'computer-vision',
        keywords: 'gaussian splatting',
        exclude: '',
        authors: '',
        frequency: 'daily',
        weekday: '1',
        maxPapers: '12',
        fallbackToTrending: 'on',
      }),
    })
    expect(saved.statusCode).toBe(303)
    expect(saved.headers.location).toBe(`${pathOf(prefsUrl)}?done=saved`)
    const after = await prisma.subscriber.findUniqueOrThrow({
      where: { id: pending.id },
      include: { interests: true, topics: { include: { topic: true } } },
    })
    expect(after).toMatchObject({
      name: 'Ada',
      frequency: 'daily',
      maxPapers: 12,
      fallbackToTrending: true,
      paused: false,
    })
    expect(after.interests.map((i) => `${i.kind}:${i.term}`)).toEqual(['keyword:gaussian splatting'])
    expect(after.topics.map((t) => t.topic.slug)).toEqual(['computer-vision'])
    expect((await app.inject(saved.headers.location as string)).body).toContain('Your preferences are saved.')

    // The last papers sent come from the delivery ledger: only deliveries the SMTP server accepted.
    const paper = await prisma.paper.create({
      data: {
        key: '2506.00001',
        arxivId: '2506.00001',
        title: 'Sent & <escaped> paper',
        abstract: 'x',
        authors: [],
      },
    })
    const other = await prisma.paper.create({
      data: {
        key: '2506.00002',
        arxivId: '2506.00002',
        title: 'Never sent paper',
        abstract: 'x',
        authors: [],
      },
    })
    const sentOne = await prisma.delivery.create({
      data: { subscriberId: pending.id, date: new Date('2025-06-02'), status: 'sent', sentAt: new Date() },
    })
    await setItems(prisma, sentOne.id, [{ paperId: paper.id, why: ["'gaussian splatting' in title"] }])
    const failedOne = await prisma.delivery.create({
      data: { subscriberId: pending.id, date: new Date('2025-06-03'), status: 'failed' },
    })
    await setItems(prisma, failedOne.id, [{ paperId: other.id, why: [] }])
    const withSent = (await app.inject(pathOf(prefsUrl))).body
    expect(withSent).toContain('Sent &amp; &lt;escaped&gt; paper')
    expect(withSent).toContain('https://arxiv.org/abs/2506.00001')
    expect(withSent).toContain('&#39;gaussian splatting&#39; in title')
    expect(withSent).not.toContain('Never sent paper')

    const pause = await app.inject({
      method: 'POST',
      url: pathOf(prefsUrl),
      headers: { 'content-type': FORM },
      payload: '_action=pause',
    })
    expect(pause.statusCode).toBe(303)
    expect((await prisma.subscriber.findUniqueOrThrow({ where: { id: pending.id } })).paused).toBe(true)
    await app.inject({
      method: 'POST',
      url: pathOf(prefsUrl),
      headers: { 'content-type': FORM },
      payload: '_action=resume',
    })
    expect((await prisma.subscriber.findUniqueOrThrow({ where: { id: pending.id } })).paused).toBe(false)

    // A digest as delivery sends it, through the same SMTP mailer, with this reader's links.
    const t = await compileTemplates()
    const card = prepareCard(
      t,
      cardFromPaper(
        {
          arxivId: '2506.01234',
          title: 'Splatting the world',
          abstract: 'Gaussian splatting for everything.',
          authors: ['A. Author'],
          url: null,
          aiSummary: null,
          githubRepo: null,
          projectPage: null,
        },
        { source: 'huggingface', upvotes: 12 },
      ),
    )
    const links = subscriberLinks(deps.config.publicUrl, deps.config.appSecret, after)
    const digest = renderDigest(t, {
      subscriberId: after.id,
      reader: { email: after.email, name: after.name },
      date: '2025-06-02',
      papers: [{ card, why: "'gaussian splatting' in title", topics: ['Computer vision'] }],
      links: { ...links, archiveUrl: `${deps.config.publicUrl}/archive/2025-06-02` },
      reason: 'You subscribed on localhost',
      site: { publicUrl: deps.config.publicUrl },
    })
    const sent = await deps.mailer.send({ to: after.email, ...digest })
    expect(sent.status).toBe('sent')
    const [, , delivered] = await j.mailTo('Ada.Lovelace@example.org', 3)
    expect(delivered!.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click')
    const listUnsubscribe = /<(https?:[^>]+)>/.exec(delivered!.headers.get('list-unsubscribe') ?? '')![1]!
    expect(listUnsubscribe).toBe(links.unsubscribeUrl)

    // The unsubscribe page asks first (a GET never changes anything)…
    const unsubPage = await app.inject(pathOf(listUnsubscribe))
    expect(unsubPage.statusCode).toBe(200)
    expect(unsubPage.body).toContain('<button type="submit" class="danger">Unsubscribe</button>')
    expect((await prisma.subscriber.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe('active')

    // …and the mail provider's RFC 8058 POST unsubscribes at once, without a cookie.
    const oneClick = await app.inject({
      method: 'POST',
      url: pathOf(listUnsubscribe),
      headers: { 'content-type': FORM },
      payload: 'List-Unsubscribe=One-Click',
    })
    expect(oneClick.statusCode).toBe(200)
    expect(oneClick.headers['set-cookie']).toBeUndefined()
    const gone = await prisma.subscriber.findUniqueOrThrow({ where: { id: pending.id } })
    expect(gone.status).toBe('unsubscribed')
    expect(gone.unsubscribedAt).toBeInstanceOf(Date)

    // Idempotent, whatever body the provider uses.
    const multipart = await app.inject({
      method: 'POST',
      url: pathOf(listUnsubscribe),
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      payload:
        '--xyz\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--xyz--\r\n',
    })
    expect(multipart.statusCode).toBe(200)
    const bare = await app.inject({ method: 'POST', url: pathOf(listUnsubscribe) })
    expect(bare.statusCode).toBe(200)
    const still = await prisma.subscriber.findUniqueOrThrow({ where: { id: pending.id } })
    expect(still.unsubscribedAt).toEqual(gone.unsubscribedAt)

    // The page offers to come back; resubscribing with the same link makes the reader active.
    const offer = await app.inject(pathOf(listUnsubscribe))
    expect(offer.body).toContain('/resubscribe')
    const back = await app.inject({ method: 'POST', url: `${pathOf(listUnsubscribe)}/resubscribe` })
    expect(back.statusCode).toBe(200)
    expect((await prisma.subscriber.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe('active')
  })

  it('answers the same for new, pending, active and throttled addresses; the active one gets a manage email', async () => {
    const { app, deps } = j
    const post = (email: string) =>
      app.inject({ method: 'POST', url: '/api/subscriptions', payload: { email, topics: ['robotics'] } })

    const first = await post('grace@example.org')
    const second = await post('grace@example.org')
    expect(first.statusCode).toBe(202)
    expect(second.statusCode).toBe(202)
    expect(first.body).toBe('{"status":"pending"}')
    expect(second.body).toBe(first.body)
    // One confirmation in ten minutes, however many signups.
    await j.mailTo('grace@example.org')
    await j.mailSettled()
    expect(j.sink.messages.filter((m) => m.to.includes('grace@example.org'))).toHaveLength(1)

    // Active reader: same answer, a manage email (after the interval), and no preference is changed.
    const grace = await deps.prisma.subscriber.update({
      where: { emailKey: 'grace@example.org' },
      data: {
        status: 'active',
        confirmedAt: new Date(),
        lastConfirmationSentAt: new Date(Date.now() - 11 * 60_000),
      },
    })
    const active = await app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      payload: { email: 'GRACE@example.org', topics: ['computer-vision'], maxPapers: 1 },
    })
    expect(active.statusCode).toBe(202)
    expect(active.body).toBe(first.body)
    const [, manage] = await j.mailTo('grace@example.org', 2)
    expect(manage!.subject).toBe('Your Paperboy subscription')
    const graceUnsubscribe = subscriberLinks(
      deps.config.publicUrl,
      deps.config.appSecret,
      grace,
    ).unsubscribeUrl
    expect(linkIn(manage!, '/unsubscribe/')).toBe(graceUnsubscribe)
    expect(manage!.headers.get('list-unsubscribe')).toBe(`<${graceUnsubscribe}>`)
    expect(manage!.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click')
    const unchanged = await deps.prisma.subscriber.findUniqueOrThrow({
      where: { id: grace.id },
      include: { topics: { include: { topic: true } } },
    })
    expect(unchanged.maxPapers).toBe(10)
    expect(unchanged.topics.map((t) => t.topic.slug)).toEqual(['robotics'])
  })

  it('an unsubscribed address that signs up again goes back to pending and gets a new confirmation', async () => {
    const { app, deps } = j
    await app.inject({ method: 'POST', url: '/api/subscriptions', payload: { email: 'linus@example.org' } })
    await j.mailTo('linus@example.org')
    await deps.prisma.subscriber.update({
      where: { emailKey: 'linus@example.org' },
      data: {
        status: 'unsubscribed',
        unsubscribedAt: new Date(),
        lastConfirmationSentAt: new Date(Date.now() - 11 * 60_000),
      },
    })
    const res = await app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      payload: { email: 'linus@example.org' },
    })
    expect(res.statusCode).toBe(202)
    const [first, second] = await j.mailTo('linus@example.org', 2)
    expect(linkIn(second!, '/confirm/')).not.toBe(linkIn(first!, '/confirm/'))
    // The older link was replaced by the newer one.
    expect((await app.inject(pathOf(linkIn(first!, '/confirm/')))).statusCode).toBe(404)
    expect(
      (await deps.prisma.subscriber.findUniqueOrThrow({ where: { emailKey: 'linus@example.org' } })).status,
    ).toBe('pending')
  })

  it('an SMTP outage during signup delays the email, never loses it: 202 at once, the email once the server is back', async () => {
    const { app, deps } = j
    await j.sink.stop()
    let row: { status: string; attempts: number; lastError: string | null } | null = null
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/subscriptions',
        payload: { email: 'outage@example.org' },
      })
      expect(res.statusCode).toBe(202)
      expect(res.json()).toEqual({ status: 'pending' })
      // Wait for the ledger to record failed attempts (the event), not for a length of time.
      const deadline = Date.now() + 10_000
      while (Date.now() < deadline) {
        row = await deps.prisma.journeyEmail.findFirst({
          where: { subscriber: { emailKey: 'outage@example.org' } },
        })
        if (row && row.attempts >= 2) break
        await new Promise((r) => setTimeout(r, 20))
      }
      expect(row).toMatchObject({ status: 'pending' })
      expect(row!.attempts).toBeGreaterThanOrEqual(2)
      expect(row!.lastError).toBeTruthy()
      expect(j.sink.messages.some((m) => m.to.includes('outage@example.org'))).toBe(false)
    } finally {
      await j.sink.start()
    }
    // The retry (with backoff) sends it once the server answers again; the reader does nothing.
    const [mail] = await j.mailTo('outage@example.org')
    expect(mail!.subject).toBe('Confirm your Paperboy subscription')
    await j.mailSettled()
    expect(j.sink.messages.filter((m) => m.to.includes('outage@example.org'))).toHaveLength(1)
    const sent = await deps.prisma.journeyEmail.findFirstOrThrow({
      where: { subscriber: { emailKey: 'outage@example.org' } },
    })
    expect(sent).toMatchObject({ status: 'sent', token: null })
    // Its link works: the token is the one the subscriber row holds the hash of.
    const confirmed = await app.inject({ method: 'POST', url: pathOf(linkIn(mail!, '/confirm/')) })
    expect(confirmed.statusCode).toBe(200)
  })

  it('an address the server refuses for good fails at once and gives its resend slot back', async () => {
    const { app, deps } = j
    j.sink.options.reject = ['refused@example.org']
    try {
      await app.inject({
        method: 'POST',
        url: '/api/subscriptions',
        payload: { email: 'refused@example.org' },
      })
      await j.mailSettled()
      const row = await deps.prisma.journeyEmail.findFirstOrThrow({
        where: { subscriber: { emailKey: 'refused@example.org' } },
      })
      expect(row).toMatchObject({ status: 'failed', attempts: 1, token: null })
      expect(row.lastError).toMatch(/550|No such user/)
      const s = await deps.prisma.subscriber.findUniqueOrThrow({ where: { emailKey: 'refused@example.org' } })
      // Nothing was delivered, so trying again right away is not throttled.
      expect(s.lastConfirmationSentAt).toBeNull()
    } finally {
      j.sink.options.reject = []
    }
    await app.inject({ method: 'POST', url: '/api/subscriptions', payload: { email: 'refused@example.org' } })
    const [mail] = await j.mailTo('refused@example.org')
    expect(mail!.subject).toBe('Confirm your Paperboy subscription')
  })

  it('the honeypot drops a bot silently: same answer, nothing stored, nothing sent', async () => {
    const { app, deps } = j
    const before = await deps.prisma.subscriber.count()
    const res = await app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      payload: { email: 'bot@example.org', website: 'http://spam.example' },
    })
    expect(res.statusCode).toBe(202)
    expect(res.json()).toEqual({ status: 'pending' })
    const page = await app.inject({
      method: 'POST',
      url: '/subscribe',
      headers: { 'content-type': FORM },
      payload: form({ email: 'bot2@example.org', website: 'cheap pills' }),
    })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Check your inbox')
    await j.mailSettled()
    expect(await deps.prisma.subscriber.count()).toBe(before)
    expect(
      await deps.prisma.journeyEmail.count({ where: { subscriber: { emailKey: { startsWith: 'bot' } } } }),
    ).toBe(0)
    expect(
      j.sink.messages.some((m) => m.to.includes('bot@example.org') || m.to.includes('bot2@example.org')),
    ).toBe(false)
  })
})
