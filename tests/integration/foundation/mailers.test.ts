// Both mailers against real things: the outbox folder and an SMTP server on loopback.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOutboxMailer } from '../../../src/delivery/outbox-mailer'
import { createSmtpMailer } from '../../../src/delivery/smtp-mailer'

const email = (to: string) => ({
  to,
  subject: 'Three papers on Robotics',
  html: '<p>Hello <b>reader</b></p>',
  text: 'Hello reader',
  headers: {
    'List-Unsubscribe': '<http://localhost:3000/unsubscribe/x>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
  messageId: '<digest-2025-06-02-7@localhost>',
})

describe('outbox mailer', () => {
  it('writes the message as .eml and .html named from the Message-ID', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paperboy-outbox-'))
    try {
      const mailer = createOutboxMailer({ dir, from: 'Paperboy <p@localhost>' })
      const r = await mailer.send(email('reader@example.org'))
      expect(r).toMatchObject({ status: 'sent', messageId: '<digest-2025-06-02-7@localhost>' })
      expect((await readdir(dir)).sort()).toEqual(['digest-2025-06-02-7.eml', 'digest-2025-06-02-7.html'])
      const eml = await readFile(join(dir, 'digest-2025-06-02-7.eml'))
      const parsed = await simpleParser(eml)
      expect(parsed.subject).toBe('Three papers on Robotics')
      expect(parsed.text?.trim()).toBe('Hello reader')
      // mailparser folds List-* headers into one object; the raw header is what clients read.
      expect(eml.toString()).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
      expect(await readFile(join(dir, 'digest-2025-06-02-7.html'), 'utf8')).toBe('<p>Hello <b>reader</b></p>')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('SMTP mailer', () => {
  const received: string[] = []
  let server: SMTPServer
  let port = 0
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, cb) {
        if (address.address.startsWith('gone'))
          return cb(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }))
        if (address.address.startsWith('busy'))
          return cb(Object.assign(new Error('4.2.1 try later'), { responseCode: 451 }))
        cb()
      },
      onData(stream, _session, cb) {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString())
          cb()
        })
      },
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('sends through a pool and classifies refusals', async () => {
    const mailer = createSmtpMailer({
      url: `smtp://127.0.0.1:${port}`,
      from: 'Paperboy <p@localhost>',
      timeoutMs: 5_000,
    })
    expect(await mailer.send(email('ok@example.org'))).toMatchObject({ status: 'sent' })
    const parsed = await simpleParser(received.at(-1)!)
    expect(parsed.messageId).toBe('<digest-2025-06-02-7@localhost>')
    expect(parsed.text?.trim()).toBe('Hello reader')
    expect(await mailer.send(email('gone@example.org'))).toMatchObject({
      status: 'failed',
      permanent: true,
      responseCode: 550,
    })
    expect(await mailer.send(email('busy@example.org'))).toMatchObject({
      status: 'failed',
      permanent: false,
      responseCode: 451,
    })
    await mailer.close()
  })

  it('reports an unreachable server as a temporary failure', async () => {
    const mailer = createSmtpMailer({ url: 'smtp://127.0.0.1:1', from: 'p@localhost', timeoutMs: 2_000 })
    expect(await mailer.send(email('ok@example.org'))).toMatchObject({ status: 'failed', permanent: false })
    await mailer.close()
  })
})
