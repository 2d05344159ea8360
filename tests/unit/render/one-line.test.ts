import { describe, expect, it } from 'vitest'
import { hasReason } from '../../../src/digest/render/digest-card'
import { oneLine } from '../../../src/digest/render/format'

describe('oneLine', () => {
  it('keeps a clean line as it is', () => {
    expect(oneLine("matched 'diffusion policy' in title")).toBe("matched 'diffusion policy' in title")
    expect(oneLine('')).toBe('')
  })

  it('collapses every kind of whitespace run and trims', () => {
    expect(oneLine('Robotics\r\nBcc: x@example.org')).toBe('Robotics Bcc: x@example.org')
    expect(oneLine('a  b')).toBe('a b')
    expect(oneLine('\ta\u00a0b ')).toBe('a b')
    expect(oneLine(' lead')).toBe('lead')
    expect(oneLine('trail ')).toBe('trail')
  })
})

describe('hasReason', () => {
  const line = "matched 'rl' in title · Reasoning · Robotics & embodied AI"

  it('finds whole reasons at the start, middle and end', () => {
    expect(hasReason(line, "matched 'rl' in title")).toBe(true)
    expect(hasReason(line, 'Reasoning')).toBe(true)
    expect(hasReason(line, 'Robotics & embodied AI')).toBe(true)
    expect(hasReason('Reasoning', 'Reasoning')).toBe(true)
  })

  it('does not take part of a reason for a reason', () => {
    expect(hasReason(line, 'Robotics')).toBe(false)
    expect(hasReason(line, 'Reason')).toBe(false)
    expect(hasReason("matched 'Reasoning' in title", 'Reasoning')).toBe(false)
    // Found inside a longer reason first, then as a whole one further on.
    expect(hasReason('Vision-language · language', 'language')).toBe(true)
    expect(hasReason('', 'Reasoning')).toBe(false)
  })

  it('treats an empty reason as a piece only where the line has an empty one', () => {
    expect(hasReason('', '')).toBe(true)
    expect(hasReason(line, '')).toBe(false)
  })
})
