// The finished RFC 5322 message of an OutgoingEmail, built once, in memory, so the pooled
// transport only speaks SMTP. What sendMail({ html, text }) costs on top of that is
// nodemailer's MIME tree as a pipeline of streams: every header line, boundary and
// quoted-printable chunk is its own stream write and then its own socket write (a CPU
// profile of the delivery benchmark had those writes, the streams and their abort
// signals at about a fifth of the sender's CPU). Here a digest's header lines are written
// as MimeNode writes them (its RFC 2047 and folding functions), anything unusual goes
// through MimeNode itself, and the two parts come from a one-pass quoted-printable
// encoder; the stream plumbing is gone.
import { randomBytes } from 'node:crypto'
import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs'
import MimeNode from 'nodemailer/lib/mime-node'
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

// Bytes written as they are (RFC 2045 §6.7): printable ASCII but "=". Space and tab too,
// except before a line break or at the end, where a transport may strip them.
const LITERAL = new Uint8Array(256)
for (let c = 0x21; c <= 0x7e; c++) LITERAL[c] = c === 0x3d ? 0 : 1
const HEX = Buffer.from('0123456789ABCDEF', 'latin1')
/** Encoded characters a line may hold before its soft break "=" (76 in all). */
const LINE = 75

/**
 * A text part's body in quoted-printable: CRLF line ends (CRLF, a lone LF and a lone CR
 * are each one line break), lines of at most 76 characters with soft breaks, never inside
 * an "=XX". One pass over the UTF-8 bytes: nodemailer's encode() and then wrap() (regular
 * expressions per line) cost 0.39 CPU ms of a 26 KB digest, most of the building. The
 * soft breaks fall where the line is full, not at spaces as wrap() tries: the decoded
 * text is the same.
 */
export function quotedPrintable(text: string): Buffer {
  const out = Buffer.allocUnsafe(qpBound(text))
  return out.subarray(0, encodeQp(text, out, 0, newScratch()))
}

/** Room the encoding of `text` may take: "=XX" for each of at most 3 UTF-8 bytes a UTF-16 unit, a soft break per 25 of those. */
function qpBound(text: string): number {
  const n = text.length * 3
  return n * 3 + Math.ceil(n / 25) * 3 + 3
}

/**
 * A builder's reused buffers: the UTF-8 bytes of the part being encoded and the message
 * being assembled, so that building allocates only the finished copy (a 26 KB digest is
 * otherwise a few large buffers a message). Owned by one builder, never shared.
 */
type Scratch = { utf8: Buffer; out: Buffer }
const newScratch = (): Scratch => ({
  utf8: Buffer.allocUnsafe(64 * 1024),
  out: Buffer.allocUnsafe(256 * 1024),
})

/** Writes the quoted-printable of `text` into `out` at `at`; returns the end. */
function encodeQp(text: string, out: Buffer, at: number, scratch: Scratch): number {
  if (scratch.utf8.length < text.length * 3) scratch.utf8 = Buffer.allocUnsafe(text.length * 3)
  const src = scratch.utf8
  const n = src.write(text, 0, 'utf8')
  let o = at
  let col = 0
  for (let i = 0; i < n; i++) {
    const b = src[i]!
    if (b === 0x0d || b === 0x0a) {
      if (b === 0x0d && i + 1 < n && src[i + 1] === 0x0a) i++
      out[o++] = 0x0d
      out[o++] = 0x0a
      col = 0
      continue
    }
    let literal = LITERAL[b] === 1
    if (b === 0x20 || b === 0x09) {
      const next = i + 1 < n ? src[i + 1] : 0x0a
      literal = next !== 0x0d && next !== 0x0a
    }
    const width = literal ? 1 : 3
    if (col + width > LINE) {
      out[o++] = 0x3d
      out[o++] = 0x0d
      out[o++] = 0x0a
      col = 0
    }
    if (literal) out[o++] = b
    else {
      out[o++] = 0x3d
      out[o++] = HEX[b >> 4]!
      out[o++] = HEX[b & 15]!
    }
    col += width
  }
  return o
}

// The message is built in the scratch buffer and copied out whole at the end (the copy is
// the message's one allocation; nodemailer streams it after build() has returned).
function assemble(h: HeaderBlock, text: string, html: string, scratch: Scratch): Buffer {
  const open = `${h.head}\r\n\r\n--${h.boundary}\r\n${TEXT_HEAD}`
  const middle = `\r\n--${h.boundary}\r\n${HTML_HEAD}`
  const close = `\r\n--${h.boundary}--\r\n`
  const room = (open.length + middle.length + close.length) * 3 + qpBound(text) + qpBound(html)
  if (scratch.out.length < room) scratch.out = Buffer.allocUnsafe(room)
  const out = scratch.out
  let o = out.write(open, 0, 'utf8')
  o = encodeQp(text, out, o, scratch)
  o += out.write(middle, o, 'latin1')
  o = encodeQp(html, out, o, scratch)
  o += out.write(close, o, 'latin1')
  return Buffer.from(out.subarray(0, o))
}

type HeaderBlock = {
  head: string
  boundary: string
  envelope: { from: string; to: string[] }
  messageId: string
}

// A header value nodemailer would write as it is: printable ASCII, nothing that reads as
// an encoded word. Anything else takes MimeNode's path (RFC 2047, controls, line breaks).
const PLAIN_TEXT = /^[\x20-\x7e]*$/
const plainText = (v: string) => PLAIN_TEXT.test(v) && !v.includes('=?')
const TOKEN = /^[A-Za-z0-9-]+$/
// Fields MimeNode writes itself or encodes as addresses: given as extra headers, they go its way.
const RESERVED = new Set(
  'from sender to cc bcc reply-to subject date message-id mime-version content-type content-transfer-encoding in-reply-to references'.split(
    ' ',
  ),
)
// A dot-atom local part at an ASCII host in lower case: what MimeNode's address
// normalising (quoting, punycode, lower-casing the domain) leaves as it is.
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?'
const PLAIN_ADDRESS = new RegExp(`^${ATOM}(?:\\.${ATOM})*@${LABEL}(?:\\.${LABEL})+$`)
const PLAIN_MESSAGE_ID = /^<[\x21-\x3b\x3d\x3f-\x7e]+>$/
// Quoted-printable never writes "=_" ("=" is followed by two hex digits or a line break),
// so this boundary cannot occur in either part: unique by construction, not by chance.
/** A control character (C0 or DEL), which MimeNode's path encodes differently. */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return true
  }
  return false
}

/**
 * The Subject line as MimeNode writes an unstructured value without control characters:
 * RFC 2047 Q-words for the whole value if any of it is not ASCII (a digest's " — " always
 * is), folded at 76.
 */
const subjectLine = (subject: string): string =>
  foldLines(`Subject: ${encodeWords(subject, 'Q', 52, true)}`, 76)

/**
 * Builds messages from one sender. Digests (ASCII extra headers, a bare address, a plain
 * Message-ID; any subject without control characters) take a direct path: each header
 * line as MimeNode would write it, the From line made once. Anything else (a name or
 * UTF-8 in To, an extra Reply-To, no Message-ID) goes through MimeNode, as sendMail does.
 */
export function createMimeBuilder(from: string): (email: OutgoingEmail, date?: Date) => BuiltMessage {
  const sender = new MimeNode('multipart/alternative', { textEncoding: 'quoted-printable' })
  sender.setHeader('From', from)
  const fromLine = foldLines(`From: ${sender.encodeHeaderValue('From', from)}`, 76)
  const fromAddress = sender.getEnvelope().from
  const scratch = newScratch()
  // Quoted-printable never writes "=_" ("=" is followed by two hex digits or a line break),
  // so this boundary cannot occur in either part: unique by construction, not by chance.
  const boundaryPrefix = `=_pb_${randomBytes(6).toString('hex')}_`
  let boundaries = 0
  // Readers of one day share a few subjects, so their encoded lines are kept (bounded).
  const subjectLines = new Map<string, string>()
  const subjectOf = (subject: string): string => {
    let line = subjectLines.get(subject)
    if (line === undefined) {
      line = subjectLine(subject)
      if (subjectLines.size >= 1_000) subjectLines.clear()
      subjectLines.set(subject, line)
    }
    return line
  }
  const direct = (email: OutgoingEmail, date: Date): HeaderBlock | null => {
    const { 'Message-ID': headerId, ...headers } = email.headers ?? {}
    const messageId = email.messageId ?? headerId
    if (!fromAddress || !PLAIN_ADDRESS.test(email.to) || hasControl(email.subject)) return null
    if (!messageId || !PLAIN_MESSAGE_ID.test(messageId)) return null
    const lines: string[] = []
    for (const [key, value] of Object.entries(headers)) {
      if (!TOKEN.test(key) || RESERVED.has(key.toLowerCase()) || !plainText(value) || !value.trim())
        return null
      lines.push(foldLines(`${key}: ${value}`, 76))
    }
    const boundary = `${boundaryPrefix}${++boundaries}`
    lines.push(
      fromLine,
      `To: ${email.to}`,
      subjectOf(email.subject),
      `Message-ID: ${messageId}`,
      `Date: ${date.toUTCString().replace(/GMT/, '+0000')}`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/alternative;\r\n boundary="${boundary}"`,
    )
    return { head: lines.join('\r\n'), boundary, envelope: { from: fromAddress, to: [email.to] }, messageId }
  }
  return (email, date = new Date()) => {
    const h = direct(email, date) ?? throughMimeNode(from, email, date)
    const raw = assemble(h, email.text, email.html, scratch)
    return { raw, envelope: h.envelope, messageId: h.messageId }
  }
}

/**
 * multipart/alternative of the text and the HTML (in that order: clients show the last
 * part they can), headers in nodemailer's order: the email's own headers, then From, To,
 * Subject, Message-ID, Date, MIME-Version, Content-Type. Without a Message-ID, MimeNode
 * makes one, as sendMail would.
 */
export function buildMimeMessage(from: string, email: OutgoingEmail, date = new Date()): BuiltMessage {
  return createMimeBuilder(from)(email, date)
}

/** The header block as nodemailer's sendMail builds it. */
export function throughMimeNode(from: string, email: OutgoingEmail, date: Date): HeaderBlock {
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
  if (!envelope.from || envelope.to.length === 0 || !root.boundary)
    throw new Error(`no envelope address in From "${from}" or To "${email.to}"`)
  return {
    head,
    boundary: root.boundary,
    envelope: { from: envelope.from, to: envelope.to },
    messageId: root.messageId(),
  }
}
