// The migration that moved DeliveryItem rows into Delivery.paperIds/reasonIds carries the
// history over: each delivery keeps its papers in order (what "never resend" reads) and
// each paper its reasons, and readers sharing reasons share one DeliveryReason row. The
// migrations before it are applied as plain SQL to a fresh database, rows are written in
// the old layout, then this migration runs.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { MIGRATIONS_DIR } from '../../../src/db/migrate'
import { admin, withDatabase } from '../../support/global-setup'

const NAME = 'compact_delivery_items'

describe(`migration ${NAME}`, () => {
  const serverUrl = inject('pgServerUrl')
  const db = `paperboy_test_${process.pid}_layout`
  afterAll(() => admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)))

  it('moves every item into its delivery, in order, with its reasons shared once per date and paper', async () => {
    await admin(serverUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
      await c.query(`CREATE DATABASE ${db}`)
    })
    const dirs = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
    const at = dirs.findIndex((d) => d.endsWith(`_${NAME}`))
    expect(at).toBeGreaterThan(0)
    const sql = (dir: string) => readFile(join(MIGRATIONS_DIR, dir, 'migration.sql'), 'utf8')
    const url = withDatabase(serverUrl, db)
    await admin(url, async (c) => {
      for (const dir of dirs.slice(0, at)) await c.query(await sql(dir))
      await c.query(`
        INSERT INTO "Subscriber" (id, email, "emailKey", "accessKey", "updatedAt")
        VALUES (1, 'a@x.org', 'a@x.org', 'k1', now()), (2, 'b@x.org', 'b@x.org', 'k2', now());
        INSERT INTO "Paper" (id, key, title, abstract, "updatedAt")
        VALUES (10, 'p10', 'Ten', '', now()), (11, 'p11', 'Eleven', '', now()), (12, 'p12', 'Twelve', '', now());
        INSERT INTO "Delivery" (id, "subscriberId", date, status, "updatedAt")
        VALUES (100, 1, '2025-06-01', 'sent', now()), (101, 2, '2025-06-01', 'sent', now()),
               (102, 1, '2025-06-02', 'skipped', now());
        INSERT INTO "DeliveryItem" ("deliveryId", "paperId", position, score, why) VALUES
          (100, 12, 1, 0.9, ARRAY['quote " and {braces}, comma', 'second']),
          (100, 10, 2, 0.5, ARRAY[]::text[]),
          (101, 12, 2, 0.9, ARRAY['quote " and {braces}, comma', 'second']),
          (101, 11, 1, 0.7, ARRAY['other']);`)
      await c.query(await sql(dirs[at]!))
      const deliveries = await c.query(
        `SELECT id, "paperIds", (SELECT array_agg(r.why::text ORDER BY u.n) FROM unnest("reasonIds") WITH ORDINALITY u(id, n)
           JOIN "DeliveryReason" r ON r.id = u.id) AS whys FROM "Delivery" ORDER BY id`,
      )
      expect(deliveries.rows).toEqual([
        { id: 100, paperIds: [12, 10], whys: ['{"quote \\" and {braces}, comma",second}', '{}'] },
        { id: 101, paperIds: [11, 12], whys: ['{other}', '{"quote \\" and {braces}, comma",second}'] },
        { id: 102, paperIds: [], whys: null },
      ])
      // Paper 12's reasons, given to both readers, are one row.
      const reasons = await c.query(`SELECT count(*)::int AS n FROM "DeliveryReason"`)
      expect(reasons.rows[0].n).toBe(3)
      const old = await c.query(`SELECT to_regclass('"DeliveryItem"') AS t`)
      expect(old.rows[0].t).toBeNull()
    })
  })
})
