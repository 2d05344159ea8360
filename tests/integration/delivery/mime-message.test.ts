// The SMTP mailer hands nodemailer a message it built itself (src/delivery/mime-message.ts).
// What a reader's mail program gets must not change: each email here goes to a real
// smtp-server twice, once as nodemailer's own sendMail({ html, text }) builds it (what the
// mailer did before) and once through createSmtpMailer, and mailparser must read the same
// subject, addresses, headers and both parts, decoded, from the two.
import type { AddressObject } from 'mailparser'
import { simpleParser } from 'mailparser'
import nodemailer from 'nodemailer'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { OutgoingEmail } from '../../../src/delivery/mailer'
import { buildMimeMessage, quotedPrintable } from '../../../src/delivery/mime-message'
import { createSmtpMailer } from '../../../src/delivery/smtp-mailer'
import { seededRandom } from '../../../src/matching/learn/seeded-random'
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink'

let sink: SmtpSink
beforeAll(async () => {
  sink = await startSmtpSink({ keepRaw: true })
})
afterAll(() => sink?.close())

const headers = {
  'List-Unsubscribe': '<https://papers.example/u/abc?t=1>',
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  'List-Id': 'Paperboy <digest.papers.example>',
  'X-Auto-Response-Suppress': 'OOF, AutoReply',
}

/** Text that exercises quoted-printable: long words, "=", dots and spaces at line ends, UTF-8. */
function awkwardText(seed: number, length: number): string {
  const rand = seededRandom(seed)
  const pieces = [
    'word',
    ' ',
    ' ',
    '\n',
    '.',
    '=',
    'é',
    'Ünïcødé',
    '—',
    '“q”',
    '🙂',
    '\t',
    'x'.repeat(90),
    '<a href="https://x.example/?a=1&b=2">',
    ' \n',
    '\r\n',
    '=3D',
  ]
  let s = ''
  while (s.length < length) s += pieces[Math.floor(rand() * pieces.length)]
  return s
}

// direct: the header block is written without MimeNode (a digest's case); the others go through it.
const cases: { name: string; from: string; direct: boolean; email: OutgoingEmail }[] = [
  {
    name: 'a plain ASCII digest',
    direct: true,
    from: 'Paperboy <digest@papers.example>',
    email: {
      to: 'ada@example.org',
      subject: 'Your papers for Monday, 2 June 2025',
      html: '<html><body><p>Hi Ada,</p><p>Three papers today.</p></body></html>',
      text: 'Hi Ada,\n\nThree papers today.\n',
      headers,
      messageId: '<digest-2025-06-02-7@papers.example>',
    },
  },
  {
    name: 'non-ASCII names and subject, long folded subject, awkward parts',
    direct: false, // UTF-8 in the address
    from: 'Paperboy Zürich, “Daily” <digest@papers.example>',
    email: {
      to: 'zoë.reader@example.org',
      subject: `Über große Modelle — “quotes”, emoji 🙂 and a long subject line that has to be folded ${'ß'.repeat(20)}`,
      html: `<p>Hi Zoë,</p>\n.a line starting with a dot\n${awkwardText(1, 20_000)}`,
      text: `Hi Zoë,\n\n.dot\ntrailing space \n${awkwardText(2, 12_000)}`,
      headers,
      messageId: '<digest-2025-06-02-8@papers.example>',
    },
  },
  {
    name: 'ASCII with a long subject and a long List-Unsubscribe (folded the same way)',
    direct: true,
    from: 'Paperboy Daily <digest@papers.example>',
    email: {
      to: 'long.reader+tag@sub.example.org',
      subject: `Your papers for Monday, 2 June 2025: ${'reasoning, retrieval and agents '.repeat(4)}end`,
      html: '<p>x</p>',
      text: 'x',
      headers: {
        ...headers,
        'List-Unsubscribe': `<https://papers.example/unsubscribe/${'a'.repeat(90)}>, <mailto:u@papers.example?subject=unsubscribe>`,
      },
      messageId: '<digest-2025-06-02-9@papers.example>',
    },
  },
  {
    name: 'a digest as rendered: UTF-8 in the subject only, which the direct path encodes',
    from: 'Paperboy <digest@papers.example>',
    direct: true,
    email: {
      to: 'reader17@example.org',
      subject: `3 new papers on ${'Reasoning, Große Sprachmodelle, Agents, '.repeat(3)}Retrieval — 2 Jun`,
      html: '<p>Hi</p>',
      text: 'Hi',
      headers,
      messageId: '<digest-2025-06-02-17@papers.example>',
    },
  },
  {
    name: 'an extra header MimeNode encodes itself (Reply-To), and an upper-case domain',
    direct: false,
    from: 'digest@papers.example',
    email: {
      to: 'ada@Example.ORG',
      subject: 'Welcome',
      html: '<p>Hi</p>',
      text: 'Hi',
      headers: { ...headers, 'Reply-To': 'Help Desk <help@papers.example>' },
      messageId: '<welcome-1@papers.example>',
    },
  },
  {
    name: 'a Message-ID given only as a header',
    direct: false,
    from: 'digest@papers.example',
    email: {
      to: 'Grace Hopper <grace@example.org>',
      subject: 'Confirm your subscription',
      html: '<p>Click</p>',
      text: 'Click',
      headers: { ...headers, 'Message-ID': '<confirm-42@papers.example>' },
    },
  },
]

async function sendWithNodemailer(from: string, email: OutgoingEmail): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false })
  const { 'Message-ID': headerId, ...rest } = email.headers ?? {}
  await transport.sendMail({
    from,
    to: email.to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    headers: rest,
    messageId: email.messageId ?? headerId,
    textEncoding: 'quoted-printable',
  })
  transport.close()
}

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  [a ?? []].flat().flatMap((o) => o.value.map((v) => ({ name: v.name, address: v.address })))

async function parsed(raw: Buffer) {
  const m = await simpleParser(raw)
  const h = (k: string) => m.headers.get(k)
  return {
    subject: m.subject,
    from: addresses(m.from),
    to: addresses(m.to),
    messageId: m.messageId,
    listUnsubscribe: m.headerLines
      .find((l) => l.key === 'list-unsubscribe')
      ?.line.replace(/\r?\n(?=[ \t])/g, '')
      .replace(/^[^:]*:\s*/, ''),
    listUnsubscribePost: h('list-unsubscribe-post'),
    listId: m.headerLines
      .find((l) => l.key === 'list-id')
      ?.line.replace(/\r?\n(?=[ \t])/g, '')
      .replace(/^[^:]*:\s*/, ''),
    autoResponse: h('x-auto-response-suppress'),
    replyTo: addresses(m.replyTo),
    mimeVersion: h('mime-version'),
    contentType: (h('content-type') as { value: string }).value,
    text: m.text,
    html: m.html,
    hasDate: m.date instanceof Date && !Number.isNaN(m.date.getTime()),
  }
}

for (const c of cases) {
  it(`arrives as nodemailer's own sendMail delivered it: ${c.name}`, async () => {
    sink.messages.length = 0
    await sendWithNodemailer(c.from, c.email)
    const mailer = createSmtpMailer({ url: sink.url, from: c.from, maxConnections: 1 })
    const result = await mailer.send(c.email)
    await mailer.close()
    expect(result.status).toBe('sent')
    expect(sink.messages).toHaveLength(2)
    expect(sink.messages[1]!.raw!.includes('boundary="=_pb_')).toBe(c.direct)
    const before = await parsed(sink.messages[0]!.raw!)
    const after = await parsed(sink.messages[1]!.raw!)
    expect(after).toEqual(before)
    // And what was sent is what was meant, not just the same as before.
    expect(after.subject).toBe(c.email.subject)
    expect(after.text).toBe(c.email.text.replace(/\r\n/g, '\n'))
    expect(after.html).toBe(c.email.html.replace(/\r\n/g, '\n'))
    expect(after.messageId).toBe(c.email.messageId ?? c.email.headers!['Message-ID'])
    expect(after.listUnsubscribe).toBe(c.email.headers!['List-Unsubscribe'])
    expect(after.contentType).toBe('multipart/alternative')
    expect(after.hasDate).toBe(true)
    // The envelope is the bare addresses, and the mailer reports the Message-ID it sent.
    expect(sink.messages[1]!.to).toEqual(sink.messages[0]!.to)
    expect(sink.messages[1]!.from).toBe(sink.messages[0]!.from)
    if (result.status === 'sent') expect(result.messageId).toBe(after.messageId)
  })
}

it('keeps every quoted-printable line within 76 characters and CRLF-terminated', () => {
  for (const seed of [3, 4, 5]) {
    const qp = quotedPrintable(awkwardText(seed, 30_000)).toString('latin1')
    for (const line of qp.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76)
    expect(/[^\r]\n|\r(?!\n)/.test(qp)).toBe(false)
    // Only printable ASCII, and no space or tab before a line break.
    expect(/[^\x20-\x7e\r\n]/.test(qp.replace(/\t/g, ' '))).toBe(false)
    expect(/[ \t]\r\n/.test(qp)).toBe(false)
  }
})

it('refuses an email without a recipient address, before any SMTP', () => {
  expect(() =>
    buildMimeMessage('digest@papers.example', { to: '', subject: 's', html: 'h', text: 't' }),
  ).toThrow(/no envelope address/)
})
