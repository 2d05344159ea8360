// The finished RFC 5322 message of an OutgoingEmail, built once, in memory, so the pooled
// transport only speaks SMTP. What sendMail({ html, text }) costs on top of that is
// nodemailer's MIME tree as a pipeline of streams: every header line, boundary and
// quoted-printable chunk is its own stream write and then its own socket write (a CPU
// profile of the delivery benchmark had those writes, the streams and their abort
// signals at about a fifth of the sender's CPU). Here the headers still come from
// nodemailer's own MimeNode (the same address, RFC 2047 and folding rules as before), and
// the two parts from its quoted-printable functions; only the stream plumbing is gone.
import MimeNode from 'nodemailer/lib/mime-node'
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp'
import type { OutgoingEmail } from './mailer'

export type BuiltMessage = {
  /** The whole message, CRLF line ends, ready for SMTP DATA (dot-stuffing is the transport's). */
  raw: Buffer
  envelope: { from: string; to: string[] }
  /** With angle brackets, as in the Message-ID header. */
  messageId: string
}

const PART_HEAD = (type: string) =>
  `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`
const TEXT_HEAD = PART_HEAD('text/plain')
const HTML_HEAD = PART_HEAD('text/html')

/** A text part's body: CRLF line ends, quoted-printable, lines of at most 76 characters. */
export function quotedPrintable(text: string): string {
  return qpWrap(qpEncode(text.replace(/\r?\n|\r/g, '\r\n')), 76)
}

/**
 * multipart/alternative of the text and the HTML (in that order: clients show the last
 * part they can), headers in nodemailer's order: the email's own headers, then From, To,
 * Subject, Message-ID, Date, MIME-Version, Content-Type. Without a Message-ID, MimeNode
 * makes one, as sendMail would.
 */
export function buildMimeMessage(from: string, email: OutgoingEmail, date = new Date()): BuiltMessage {
  const { 'Message-ID': headerId, ...headers } = email.headers ?? {}
  const root = new MimeNode('multipart/alternative', { textEncoding: 'quoted-printable' })
  root.date = date
  root.addHeader(headers)
  root.setHeader('From', from)
  root.setHeader('To', email.to)
  root.setHeader('Subject', email.subject)
  const messageId = email.messageId ?? headerId
  if (messageId) root.setHeader('Message-ID', messageId)
  const head = root.buildHeaders()
  const envelope = root.getEnvelope()
  if (!envelope.from || envelope.to.length === 0)
    throw new Error(`no envelope address in From "${from}" or To "${email.to}"`)
  const boundary = root.boundary
  const body =
    `--${boundary}\r\n${TEXT_HEAD}${quotedPrintable(email.text)}\r\n` +
    `--${boundary}\r\n${HTML_HEAD}${quotedPrintable(email.html)}\r\n` +
    `--${boundary}--\r\n`
  return {
    raw: Buffer.from(`${head}\r\n\r\n${body}`, 'utf8'),
    envelope: { from: envelope.from, to: envelope.to },
    messageId: root.messageId(),
  }
}
