import { Storage, StorageKeys } from "@reelbase/domain"
import { Client, Connection } from "@temporalio/client"
import { afterAll, describe, expect, it } from "vitest"
import { seedVideo, services, sql } from "./support/db.ts"
import { testEnv } from "./support/env.ts"
import { api } from "./support/http.ts"

const connection = await Connection.connect({ address: testEnv.temporalAddress })
const temporal = new Client({ connection, namespace: testEnv.temporalNamespace })
afterAll(() => connection.close())

const putObject = (key: string) => services.runPromise(Storage.use((storage) => storage.putBytes(key, "bytes", "application/octet-stream")))
const listObjects = (prefix: string) => services.runPromise(Storage.use((storage) => storage.list(prefix)))

describe("DELETE /api/videos/:id", () => {
  it("removes the row and, through the deleteVideo workflow, every object of the video", async () => {
    const { video, manageToken } = await seedVideo({ title: "To delete" })
    const keys = [StorageKeys.original(video.id), StorageKeys.master(video.id), `videos/${video.id}/720p/seg_000.ts`, `live/${video.id}/index.m3u8`]
    for (const key of keys) await putObject(key)
    const neighbour = await seedVideo({ title: "Neighbour" })
    await putObject(StorageKeys.master(neighbour.video.id))

    const response = await api(`/api/videos/${video.id}`, { method: "DELETE", token: manageToken })
    expect(response.status).toBe(204)
    expect((await api(`/api/videos/${video.id}`)).status).toBe(404)
    expect(await sql`SELECT id FROM videos WHERE id = ${video.id}`).toEqual([])

    const handle = temporal.workflow.getHandle(`delete-${video.id}`)
    expect(await handle.result()).toEqual({ objectsRemoved: keys.length })
    const description = await handle.describe()
    expect(description.status.name).toBe("COMPLETED")
    expect(description.type).toBe("deleteVideo")
    expect(description.typedSearchAttributes.get({ name: "VideoId", type: "KEYWORD" } as never)).toBe(video.id)

    for (const prefix of StorageKeys.allPrefixes(video.id)) expect(await listObjects(prefix)).toEqual([])
    expect(await listObjects(StorageKeys.videoPrefix(neighbour.video.id))).toHaveLength(1)
  })

  it("refuses without the manage token and deletes nothing", async () => {
    const { video } = await seedVideo()
    await putObject(StorageKeys.master(video.id))
    expect((await api(`/api/videos/${video.id}`, { method: "DELETE" })).status).toBe(401)
    expect((await api(`/api/videos/${video.id}`, { method: "DELETE", token: "nope" })).status).toBe(403)
    expect((await api(`/api/videos/${video.id}`)).status).toBe(200)
    expect(await listObjects(StorageKeys.videoPrefix(video.id))).toHaveLength(1)
  })

  it("answers 404 for a video that does not exist", async () => {
    const response = await api("/api/videos/00000000-0000-4000-8000-000000000000", { method: "DELETE", token: testEnv.adminToken })
    expect(response.status).toBe(404)
  })
})
