// The pages' stylesheet and preview script, read once at start and served from our own
// origin, so the CSP can forbid every inline style and script.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'

const DIR = fileURLToPath(new URL('./assets/', import.meta.url))
const FILES = {
  'site.css': 'text/css; charset=utf-8',
  'preview.js': 'text/javascript; charset=utf-8',
} as const

export async function assetRoutes(app: FastifyInstance) {
  for (const [name, type] of Object.entries(FILES)) {
    const body = await readFile(`${DIR}${name}`, 'utf8')
    app.get(`/assets/${name}`, async (_req, reply) =>
      reply.type(type).header('cache-control', 'public, max-age=3600').send(body),
    )
  }
}
