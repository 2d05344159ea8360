// The one place matching touches the disk: reading the committed model file. deps.ts
// calls it once per process and hands the model to everything that matches; scripts that
// run without a database call it the same way.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseTopicModel, type TopicModel } from './topic-model'

export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('./model/topic-model.json', import.meta.url))
export const DEFAULT_LABELS_PATH = fileURLToPath(new URL('./model/labels-train.json', import.meta.url))

export function readTopicModel(path = DEFAULT_MODEL_PATH): TopicModel {
  let json: unknown
  let text: string
  try {
    text = readFileSync(path, 'utf8')
    json = JSON.parse(text)
  } catch (err) {
    throw new Error(`cannot read the topic model ${path}: ${(err as Error).message}`)
  }
  return parseTopicModel(json, text)
}
