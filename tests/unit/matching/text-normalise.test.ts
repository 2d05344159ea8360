import { describe, expect, it } from 'vitest'
import { compileTerm } from '../../../src/matching/compile-vocabulary'
import { findTerm, indexPaper } from '../../../src/matching/paper-index'
import { paper } from './builders'

function occurrences(term: string, text: string): number {
  const index = indexPaper(paper({ title: text }))
  return findTerm(index.fields.title, compileTerm(term)!).length
}

describe('term matching', () => {
  it('ignores case, plurals and hyphens', () => {
    expect(occurrences('vision-language model', 'Vision Language Models are biased')).toBe(1)
    expect(occurrences('Vision Language Models', 'a vision-language model')).toBe(1)
    expect(occurrences('diffusion policy', 'Diffusion Policies for manipulation')).toBe(1)
    expect(occurrences('strategy', 'three strategies')).toBe(1)
  })

  it('matches a hyphenated term written closed up', () => {
    expect(occurrences('pre-training', 'Scaling pretraining data')).toBe(1)
    expect(occurrences('pre-training', 'Scaling pre training data')).toBe(1)
  })

  it('ignores accents', () => {
    expect(occurrences('Rayleigh-Bénard', 'Rayleigh--Benard convection')).toBe(1)
  })

  it('matches short upper-case acronyms as whole, capitalised tokens only', () => {
    expect(occurrences('RL', 'Closed-Loop RL Fine-Tuning')).toBe(1)
    expect(occurrences('RL', 'Parsing every URL on the web')).toBe(0)
    expect(occurrences('RL', 'ProRL expands reasoning')).toBe(0)
    expect(occurrences('RL', 'the rl of it')).toBe(0)
    expect(occurrences('VLA', 'Scaling VLAs with data')).toBe(1)
    expect(occurrences('LLM', 'LLM-based agents')).toBe(1)
  })

  it('matches a lower-case keyword regardless of case', () => {
    expect(occurrences('mamba', 'Mamba meets attention')).toBe(1)
  })

  it('does not let a phrase match its words out of order or apart', () => {
    expect(occurrences('diffusion policy', 'policy diffusion')).toBe(0)
    expect(occurrences('diffusion policy', 'diffusion for the policy')).toBe(0)
  })
})
