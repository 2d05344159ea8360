// DKIM: with DKIM_DOMAIN/SELECTOR/PRIVATE_KEY set, digests arrive signed, the signature
// covers List-Unsubscribe and List-Unsubscribe-Post (what Gmail and Yahoo require of bulk
// senders), and it verifies against the public key — checked here by a small relaxed/relaxed
// verifier (RFC 6376 §3.4.2, §3.4.4, §3.7), so a signature that merely exists does not pass.

import { createHash, createVerify, generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config/env'
import type { Db } from '../../../src/db/prisma'
import { deliverDue } from '../../../src/delivery/worker'
import { createMailer } from '../../../src/deps'
import { createDigestCaches } from '../../../src/digest/digest-caches'
import { renderDeliveries } from '../../../src/digest/digest-email'
import { resetData, testDatabaseUrl, testPrisma } from '../../support/db'
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink'
import { topicModel } from '../../support/topic-model'
import { DAY, FAST, log, planDay } from './fixtures'

let prisma: Db
let sink: SmtpSink
beforeAll(async () => {
  prisma = await testPrisma()
  sink = await startSmtpSink({ keepRaw: true })
})
afterAll(() => sink?.close())

it('signs digests with DKIM over the List-Unsubscribe headers, verifiably', async () => {
  await resetData(prisma)
  await planDay(prisma, 3)
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: await testDatabaseUrl(),
    SMTP_URL: sink.url,
    MAIL_FROM: 'Paperboy <digest@papers.example>',
    PUBLIC_URL: 'https://papers.example',
    // As an operator writes a PEM into an environment file: one line, newlines escaped.
    DKIM_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
    DKIM_DOMAIN: 'papers.example',
    DKIM_SELECTOR: 'pb2026',
  })
  const mailer = createMailer(config)
  const render = (ids: number[]) =>
    renderDeliveries({ prisma, config, caches: createDigestCaches(prisma, topicModel) }, ids)
  const r = await deliverDue({ prisma, mailer, log, config, topicModel, render }, { date: DAY, ...FAST })
  await mailer.close()
  expect(r.sent).toBe(3)
  expect(sink.messages).toHaveLength(3)

  for (const msg of sink.messages) {
    const raw = msg.raw!.toString('utf8')
    const sig = tags(msg.headers.get('dkim-signature') ?? '')
    expect(sig).toMatchObject({
      v: '1',
      a: 'rsa-sha256',
      c: 'relaxed/relaxed',
      d: 'papers.example',
      s: 'pb2026',
    })
    const signed = sig.h!.split(':').map((h) => h.trim().toLowerCase())
    expect(signed).toEqual(
      expect.arrayContaining(['from', 'subject', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post']),
    )
    expect(verifyDkim(raw, publicKey.export({ type: 'spki', format: 'pem' }).toString())).toBe(true)
    // Tampering with a covered header breaks it: the check above can fail.
    const end = raw.indexOf('\r\n\r\n')
    const head = raw.slice(0, end)
    const tamperedHead = head.replace(
      /(\r\nList-Unsubscribe:\s*<https:\/\/)papers\.example/i,
      '$1evil.example',
    )
    expect(tamperedHead).not.toBe(head)
    const tampered = tamperedHead + raw.slice(end)
    expect(verifyDkim(tampered, publicKey.export({ type: 'spki', format: 'pem' }).toString())).toBe(false)
  }
})

function tags(value: string): Record<string, string> {
  return Object.fromEntries(
    value
      .split(';')
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => {
        const i = t.indexOf('=')
        return [t.slice(0, i).trim(), t.slice(i + 1).replace(/\s+/g, '')]
      }),
  )
}

/** relaxed/relaxed rsa-sha256 verification of the first DKIM-Signature of a raw message. */
function verifyDkim(raw: string, publicKeyPem: string): boolean {
  const split = raw.indexOf('\r\n\r\n')
  const headerLines = raw.slice(0, split).split(/\r\n(?![ \t])/)
  const body = raw.slice(split + 4)
  const fields = headerLines.map((line) => ({
    name: line.slice(0, line.indexOf(':')).trim().toLowerCase(),
    line,
  }))
  const sigField = fields.find((f) => f.name === 'dkim-signature')!
  const sig = tags(sigField.line.slice(sigField.line.indexOf(':') + 1))

  const relaxedHeader = (line: string) => {
    const i = line.indexOf(':')
    const value = line
      .slice(i + 1)
      .replace(/\r\n/g, '')
      .replace(/[ \t]+/g, ' ')
      .trim()
    return `${line.slice(0, i).trim().toLowerCase()}:${value}`
  }
  const relaxedBody = (b: string) => {
    const lines = b.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''))
    while (lines.length && lines.at(-1) === '') lines.pop()
    return lines.length ? `${lines.join('\r\n')}\r\n` : ''
  }
  const bh = createHash('sha256').update(relaxedBody(body)).digest('base64')
  if (bh !== sig.bh) return false

  // Each name in h= takes the last not-yet-used field of that name (§5.4.2).
  const used = new Set<number>()
  let data = ''
  for (const name of sig.h!.split(':').map((h) => h.trim().toLowerCase())) {
    const idx = fields.findLastIndex((f, i) => f.name === name && !used.has(i))
    if (idx < 0) continue
    used.add(idx)
    data += `${relaxedHeader(fields[idx]!.line)}\r\n`
  }
  data += relaxedHeader(sigField.line.replace(/\bb=[^;]*/, (m) => (m.startsWith('bh=') ? m : 'b=')))
  return createVerify('RSA-SHA256').update(data).verify(publicKeyPem, sig.b!, 'base64')
}
