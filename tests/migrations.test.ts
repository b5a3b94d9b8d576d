import { MigrationsLayer } from "@reelbase/domain"
import { NodeServices } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { services, sql } from "./support/db.ts"

describe("migrations", () => {
  it("created the seed's tables with their enums", async () => {
    const tables = await sql<{ tableName: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`
    expect(tables.map((t) => t.tableName)).toEqual(
      expect.arrayContaining(["effect_sql_migrations", "video_variants", "video_view_logs", "videos"])
    )
    const enums = await sql<{ typname: string; labels: string }>`
      SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`
    expect(enums).toEqual([
      { typname: "video_status", labels: "PENDING,PROCESSING,READY,FAILED,LIVE" },
      { typname: "video_type", labels: "VOD,LIVE" },
      { typname: "video_visibility", labels: "PUBLIC,UNLISTED,PRIVATE" }
    ])
  })

  it("are recorded once and running them again changes nothing", async () => {
    const before = await sql<{ migrationId: number }>`SELECT migration_id FROM effect_sql_migrations ORDER BY migration_id`
    await services.runPromise(Effect.scoped(Layer.build(MigrationsLayer.pipe(Layer.provide(NodeServices.layer)))))
    const after = await sql<{ migrationId: number }>`SELECT migration_id FROM effect_sql_migrations ORDER BY migration_id`
    expect(after).toEqual(before)
    expect(after.length).toBeGreaterThan(0)
  })

  it("enforce the data rules in the database too", async () => {
    await expect(sql`
      INSERT INTO videos (id, title, manage_token_hash) VALUES (gen_random_uuid(), '', 'x')`).rejects.toThrow()
    await expect(sql`
      INSERT INTO videos (id, title, manage_token_hash, status) VALUES (gen_random_uuid(), 't', 'x', 'DONE')`).rejects.toThrow()
  })
})
