// HMAC-SHA-256 (RFC 2104 over FIPS 180-4) for signing many short messages under one key: a
// renderer signs ~9 links per email, 650,000 at 100,000 readers. Node's createHmac pays, per
// token, a new Hmac object with its stream machinery, the key's two pad blocks hashed again,
// and a Buffer and a base64 string to slice: ~1.9 µs and ~500 bytes of garbage a token on this
// machine. Here the pads are hashed once per key (`hmacKey`), and a token of a ≤ 55-byte
// message is two compressions in preallocated arrays: ~1.05 µs. Only signing uses it; the same
// tokens come out as createHmac's (tests/unit/links/hmac-sha256.test.ts checks it over random
// keys and messages); a string secret, as the routes check tokens with, still goes through
// node:crypto (link-tokens.ts).
import { createHash } from 'node:crypto'

/** A key's inner and outer pad states after their one block each. */
export interface HmacKey {
  readonly inner: Int32Array
  readonly outer: Int32Array
}

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
])
const IV = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
])

// Work arrays, reused by every call (JavaScript runs one call at a time).
const W = new Int32Array(64)
const H = new Int32Array(8)
const OUTER_BLOCK = new Int32Array(16)
let message = new Int32Array(32)
const DIGEST = Buffer.alloc(32)

/** One SHA-256 compression of the 16 words at `block[at…]` into `h`. */
function compress(h: Int32Array, block: Int32Array, at: number): void {
  for (let i = 0; i < 16; i++) W[i] = block[at + i]!
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15]!
    const b = W[i - 2]!
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3)
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10)
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0
  }
  let a = h[0]!
  let b = h[1]!
  let c = h[2]!
  let d = h[3]!
  let e = h[4]!
  let f = h[5]!
  let g = h[6]!
  let k = h[7]!
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
    const t1 = (k + s1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0
    k = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
  }
  h[0] = (h[0]! + a) | 0
  h[1] = (h[1]! + b) | 0
  h[2] = (h[2]! + c) | 0
  h[3] = (h[3]! + d) | 0
  h[4] = (h[4]! + e) | 0
  h[5] = (h[5]! + f) | 0
  h[6] = (h[6]! + g) | 0
  h[7] = (h[7]! + k) | 0
}

/** The state after one block of the key XOR `pad` (the key zero-filled to 64 bytes). */
function padState(key: Uint8Array, pad: number): Int32Array {
  const block = new Int32Array(16)
  for (let i = 0; i < 64; i++) block[i >> 2]! |= ((key[i] ?? 0) ^ pad) << (24 - 8 * (i & 3))
  const h = Int32Array.from(IV)
  compress(h, block, 0)
  return h
}

/** A secret (as createHmac takes a string: its UTF-8 bytes; hashed first when over 64 bytes). */
export function hmacKey(secret: string): HmacKey {
  let key: Uint8Array = Buffer.from(secret, 'utf8')
  if (key.length > 64) key = createHash('sha256').update(key).digest()
  return { inner: padState(key, 0x36), outer: padState(key, 0x5c) }
}

/** The message's UTF-8 bytes, SHA-256 padded after a 64-byte key block, as big-endian words; its block count. */
function padMessage(text: string): number {
  let bytes: Uint8Array | undefined
  let n = text.length
  for (let i = 0; i < text.length; i++)
    if (text.charCodeAt(i) > 0x7f) {
      bytes = Buffer.from(text, 'utf8')
      n = bytes.length
      break
    }
  const blocks = Math.ceil((n + 9) / 64)
  if (message.length < blocks * 16) message = new Int32Array(blocks * 16)
  message.fill(0, 0, blocks * 16)
  if (bytes) for (let i = 0; i < n; i++) message[i >> 2]! |= bytes[i]! << (24 - 8 * (i & 3))
  else for (let i = 0; i < n; i++) message[i >> 2]! |= text.charCodeAt(i) << (24 - 8 * (i & 3))
  message[n >> 2]! |= 0x80 << (24 - 8 * (n & 3))
  // The length in bits, counting the key block before the message (at most 2^32 bits here).
  message[blocks * 16 - 1] = (64 + n) * 8
  return blocks
}

/**
 * The first 32 characters of the base64url HMAC-SHA-256 of `text` (UTF-8) under `key`: the
 * same as `createHmac('sha256', secret).update(text).digest('base64url').slice(0, 32)`.
 */
export function hmacToken(key: HmacKey, text: string): string {
  const blocks = padMessage(text)
  H.set(key.inner)
  for (let b = 0; b < blocks; b++) compress(H, message, b * 16)
  for (let i = 0; i < 8; i++) OUTER_BLOCK[i] = H[i]!
  OUTER_BLOCK[8] = 0x80000000
  OUTER_BLOCK.fill(0, 9, 15)
  OUTER_BLOCK[15] = (64 + 32) * 8
  H.set(key.outer)
  compress(H, OUTER_BLOCK, 0)
  // 24 bytes are exactly 32 base64 characters (three bytes to four), as one flat string.
  for (let i = 0; i < 6; i++) DIGEST.writeInt32BE(H[i]!, 4 * i)
  return DIGEST.toString('base64url', 0, 24)
}
