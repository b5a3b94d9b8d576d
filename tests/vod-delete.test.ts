// Deleting a video while it transcodes: the transcode stops (ffmpeg killed) before the objects go, so none come back.
import { Storage, StorageKeys } from "@reelbase/domain"
import { afterAll, describe, expect, it } from "vitest"
import { clip } from "./support/clips.ts"
import { services } from "./support/db.ts"
import { api } from "./support/http.ts"
import { temporal, uploadViaPresign, waitForVideo } from "./support/vod.ts"

afterAll(async () => (await temporal()).close())

const objectsOf = async (videoId: string) => {
  const all = await Promise.all(StorageKeys.allPrefixes(videoId).map((prefix) => services.runPromise(Storage.use((storage) => storage.list(prefix)))))
  return all.flat()
}

describe("DELETE during transcoding", () => {
  it("cancels the transcode, waits for it to stop, then removes every object; nothing is written afterwards", async () => {
    const { videoId, manageToken } = await uploadViaPresign(await clip({ seconds: 40, width: 1280, height: 720 }))
    // Wait until the ladder is encoding (the early rendition is out by then, so there is plenty to remove).
    await waitForVideo(videoId, (video) => video.status === "PROCESSING" && (video.progress ?? 0) >= 0.1, { intervalMs: 200 })
    expect((await objectsOf(videoId)).length).toBeGreaterThan(2)

    expect((await api(`/api/videos/${videoId}`, { method: "DELETE", token: manageToken })).status).toBe(204)
    expect((await api(`/api/videos/${videoId}`)).status).toBe(404)

    const { client } = await temporal()
    const deletion = await client.workflow.getHandle(`delete-${videoId}`).result()
    expect(deletion.objectsRemoved).toBeGreaterThan(2)
    const transcode = await client.workflow.getHandle(`transcode-${videoId}`).describe()
    expect(transcode.status.name).toBe("CANCELLED")
    expect(await objectsOf(videoId)).toEqual([])

    // A transcode that kept running would upload segments now; nothing appears.
    await new Promise((resolve) => setTimeout(resolve, 5000))
    expect(await objectsOf(videoId)).toEqual([])
  })
})
