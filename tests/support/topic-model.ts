// The committed topic model, read once per test file as deps.ts reads it once per process.
import { readTopicModel } from '../../src/matching'

export const topicModel = readTopicModel()
