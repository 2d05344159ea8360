// The pages' stylesheets and scripts, read once at start and served from our own origin,
// so the CSP can forbid every inline style and script. Chart.js (the dashboard's charts)
// comes from node_modules as its UMD build: no CDN, and an upgrade is an npm update.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'

const DIR = fileURLToPath(new URL('./assets/', import.meta.url))
const CHART_JS = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js')
const CSS = 'text/css; charset=utf-8'
const JS = 'text/javascript; charset=utf-8'
const FILES: Record<string, [path: string, type: string]> = {
  'site.css': [`${DIR}site.css`, CSS],
  'admin.css': [`${DIR}admin.css`, CSS],
  'preview.js': [`${DIR}preview.js`, JS],
  'dashboard.js': [`${DIR}dashboard.js`, JS],
  'chart.umd.js': [CHART_JS, JS],
}

export async function assetRoutes(app: FastifyInstance) {
  for (const [name, [path, type]] of Object.entries(FILES)) {
    const body = await readFile(path, 'utf8')
    app.get(`/assets/${name}`, async (_req, reply) =>
      reply.type(type).header('cache-control', 'public, max-age=3600').send(body),
    )
  }
}
