// Uploads through the real API and storage: presigned PUT, multipart with resume, complete, and their refusals.
import { randomUUID } from "node:crypto"
import { readFile } from "node:fs/promises"
import { Storage, StorageKeys } from "@reelbase/domain"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { clip, decodeAll, probe } from "./support/clips.ts"
import { services, sql } from "./support/db.ts"
import { testEnv } from "./support/env.ts"
import { api } from "./support/http.ts"
import { temporal, uploadViaPresign, waitForOutcome, workflowsOf } from "./support/vod.ts"

afterAll(async () => (await temporal()).close())

const MiB = 1024 * 1024
const uniqueTitle = () => `upload-test-${randomUUID()}`
const videosTitled = async (title: string) => (await sql<{ id: string }>`SELECT id FROM videos WHERE title = ${title}`).length
const objectsUnder = (prefix: string) => services.runPromise(Storage.use((storage) => storage.list(prefix)))

describe("POST /api/upload/presign", () => {
  it("refuses bad input with a 400 naming the problem, and creates nothing", async () => {
    const title = uniqueTitle()
    const good = { fileName: "clip.mp4", fileSize: 1000, contentType: "video/mp4", title }
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...good, contentType: "image/png" }, /contentType image\/png is not a video type/],
      [{ ...good, contentType: "application/octet-stream" }, /not a video type/],
      [{ ...good, fileSize: 0 }, /at least 1 byte/],
      [{ ...good, fileSize: 21 * 1024 ** 3 }, /over the limit of 21474836480 bytes/],
      [{ ...good, fileName: "../../etc/passwd" }, /not a path/],
      [{ ...good, fileName: "/abs/clip.mp4" }, /not a path/],
      [{ ...good, fileName: "clip\u0007.mp4" }, /control characters/],
      [{ ...good, fileName: "" }, /fileName is empty/],
      [{ ...good, fileName: `${"x".repeat(300)}.mp4` }, /longer than 255/],
      [{ ...good, title: "" }, /title/],
      [{ fileName: "clip.mp4", contentType: "video/mp4" }, /fileSize/]
    ]
    for (const [body, message] of cases) {
      const response = await api("/api/upload/presign", { method: "POST", json: body })
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400)
      expect(response.body._tag).toBe("BadRequest")
      expect(response.body.message).toMatch(message)
    }
    expect(await videosTitled(title)).toBe(0)
  })

  it("creates a PENDING video whose storage key never contains the file name", async () => {
    const response = await api("/api/upload/presign", {
      method: "POST",
      json: { fileName: "My Holiday.mp4", fileSize: 1234, contentType: "video/mp4" }
    })
    expect(response.status).toBe(200)
    const { videoId, uploadUrl, expiresIn, manageToken } = response.body
    expect(expiresIn).toBe(3600)
    expect(manageToken).toMatch(/^[\w-]{40,}$/)
    expect(new URL(uploadUrl).pathname).toBe(`/reelbase-test/${StorageKeys.original(videoId)}`)
    const video = (await api(`/api/videos/${videoId}`)).body
    expect(video).toMatchObject({ status: "PENDING", videoType: "VOD", title: "My Holiday", hlsUrl: null, progress: null })
    const [row] = await sql<{ originalSize: bigint; originalFormat: string; manageTokenHash: string }>`
      SELECT original_size, original_format, manage_token_hash FROM videos WHERE id = ${videoId}`
    expect(row).toMatchObject({ originalSize: 1234n, originalFormat: "video/mp4" })
    expect(row!.manageTokenHash).not.toContain(manageToken)
  })
})

describe("presigned PUT, then complete", () => {
  it("transcodes the upload to READY: variants, duration, thumbnail and a master playlist that plays", async () => {
    const path = await clip({ seconds: 6, width: 854, height: 480 })
    const title = uniqueTitle()
    const { videoId, manageToken, completeStatus } = await uploadViaPresign(path, { title })
    expect(completeStatus).toBe(200)

    const video = await waitForOutcome(videoId)
    expect(video.failureReason).toBeNull()
    expect(video).toMatchObject({ status: "READY", title, progress: null })
    expect(video.durationSeconds).toBeCloseTo(6, 0)
    expect(video.variants.map((variant: any) => [variant.resolution, variant.width, variant.height])).toEqual([
      ["480p", 854, 480],
      ["360p", 640, 360]
    ])
    for (const variant of video.variants) {
      expect(variant.codec).toMatch(/^avc1\.6400[0-9a-f]{2},mp4a\.40\.2$/)
      expect(variant.bitrate).toBeGreaterThan(50_000)
      expect(variant.sizeBytes).toBeGreaterThan(0)
    }
    expect(video.hlsUrl).toBe(`${process.env.PUBLIC_API_URL}/api/media/videos/${videoId}/master.m3u8`)

    const master = await (await fetch(video.hlsUrl)).text()
    expect(master).toContain("#EXT-X-INDEPENDENT-SEGMENTS")
    expect(master).toMatch(/#EXT-X-STREAM-INF:BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,RESOLUTION=854x480,FRAME-RATE=30\.000,CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"\n480p\/index\.m3u8/)
    // Both renditions decode end to end through the playback route, at their announced sizes.
    for (const variant of video.variants) {
      const url = `${testEnv.apiUrl}/api/media/videos/${videoId}/${variant.resolution}/index.m3u8`
      const probed = await probe(url)
      expect(probed.streams.map((s) => s.codec_type).sort()).toEqual(["audio", "video"])
      const picture = probed.streams.find((s) => s.codec_type === "video")!
      expect([picture.codec_name, picture.width, picture.height]).toEqual(["h264", variant.width, variant.height])
      expect(await decodeAll(url)).toBeGreaterThanOrEqual(170)
    }
    // Renditions share their segment boundaries (aligned keyframes), so players switch cleanly.
    const durations = await Promise.all(video.variants.map(async (variant: any) =>
      (await (await fetch(`${testEnv.apiUrl}/api/media/videos/${videoId}/${variant.resolution}/index.m3u8`)).text()).match(/#EXTINF:[\d.]+/g)
    ))
    expect(durations[0]).toEqual(durations[1])

    const thumbnail = await fetch(video.thumbnailUrl)
    expect(thumbnail.headers.get("content-type")).toBe("image/jpeg")
    expect(Buffer.from(await thumbnail.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]))

    // complete again: same answer, still one transcode.
    const again = await api(`/api/upload/${videoId}/complete`, { method: "POST", token: manageToken })
    expect(again.status).toBe(200)
    expect(again.body.message).toMatch(/already complete; the video is READY/)
    const workflows = await workflowsOf(videoId)
    expect(workflows.filter((w) => w.type === "transcodeVideo")).toEqual([
      { workflowId: `transcode-${videoId}`, type: "transcodeVideo", status: "COMPLETED" }
    ])
    const { client } = await temporal()
    const result = await client.workflow.getHandle(`transcode-${videoId}`).result()
    expect(result).toMatchObject({ status: "READY", renditions: 2, earlyPublished: true })
  })

  it("starts one transcode however often and however concurrently complete is called", async () => {
    const path = await clip({ seconds: 2, width: 320, height: 240 })
    const body = await readFile(path)
    const created = (await api("/api/upload/presign", { method: "POST", json: { fileName: "c.mp4", fileSize: body.length, contentType: "video/mp4" } })).body
    await fetch(created.uploadUrl, { method: "PUT", body })
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => api(`/api/upload/${created.videoId}/complete`, { method: "POST", token: created.manageToken }))
    )
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200])
    await waitForOutcome(created.videoId)
    const transcodes = (await workflowsOf(created.videoId)).filter((w) => w.type === "transcodeVideo")
    expect(transcodes).toHaveLength(1)
  })

  it("refuses to complete what was not uploaded, or not with the announced size, and changes nothing", async () => {
    const created = (await api("/api/upload/presign", { method: "POST", json: { fileName: "c.mp4", fileSize: 5000, contentType: "video/mp4" } })).body
    const complete = () => api(`/api/upload/${created.videoId}/complete`, { method: "POST", token: created.manageToken })

    const early = await complete()
    expect(early.status).toBe(400)
    expect(early.body.message).toMatch(/Nothing has been uploaded for this video yet/)

    await fetch(created.uploadUrl, { method: "PUT", body: Buffer.alloc(4000, 1) })
    const short = await complete()
    expect(short.status).toBe(400)
    expect(short.body.message).toBe("The stored file has 4000 bytes but 5000 were announced; upload it again")
    expect((await api(`/api/videos/${created.videoId}`)).body.status).toBe("PENDING")
    expect(await workflowsOf(created.videoId)).toEqual([])

    // A fresh URL (the first may have expired) lets the owner upload again.
    const fresh = await api(`/api/upload/${created.videoId}/presign`, { method: "POST", token: created.manageToken })
    expect(fresh.status).toBe(200)
    expect(new URL(fresh.body.uploadUrl).pathname).toBe(`/reelbase-test/${StorageKeys.original(created.videoId)}`)
  })

  it("needs the manage token", async () => {
    const created = (await api("/api/upload/presign", { method: "POST", json: { fileName: "c.mp4", fileSize: 10, contentType: "video/mp4" } })).body
    expect((await api(`/api/upload/${created.videoId}/complete`, { method: "POST" })).status).toBe(401)
    expect((await api(`/api/upload/${created.videoId}/complete`, { method: "POST", token: "wrong" })).status).toBe(403)
    expect((await api(`/api/upload/${created.videoId}/presign`, { method: "POST", token: "wrong" })).status).toBe(403)
    expect((await api(`/api/upload/00000000-0000-4000-8000-000000000000/complete`, { method: "POST", token: testEnv.adminToken })).status).toBe(404)
  })

  it("lets browsers on the site read ETag from storage's answers (CORS), which multipart uploads need", async () => {
    const created = (await api("/api/upload/presign", { method: "POST", json: { fileName: "c.mp4", fileSize: 3, contentType: "video/mp4" } })).body
    const origin = process.env.SITE_ORIGIN!
    const preflight = await fetch(created.uploadUrl, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "PUT" }
    })
    expect(preflight.status).toBeLessThan(300)
    expect(preflight.headers.get("access-control-allow-origin")).toMatch(new RegExp(`^(\\*|${origin})$`))
    const put = await fetch(created.uploadUrl, { method: "PUT", body: "abc", headers: { origin } })
    expect(put.ok).toBe(true)
    expect(put.headers.get("etag")).toMatch(/^"[0-9a-f]+"$/)
    expect((put.headers.get("access-control-expose-headers") ?? "").toLowerCase()).toMatch(/etag|\*/)
  })
})

describe("multipart upload", () => {
  const bigClip = async () => {
    // A clip past one 16 MiB part: high bitrate, few seconds.
    const path = await clip({ seconds: 6, width: 1280, height: 720, kbps: 30_000, audio: true })
    const body = await readFile(path)
    expect(body.length).toBeGreaterThan(16 * MiB)
    return body
  }

  const create = async (body: Buffer) => {
    const response = await api("/api/upload/multipart", {
      method: "POST",
      json: { fileName: "big.mp4", fileSize: body.length, contentType: "video/mp4", title: uniqueTitle(), visibility: "UNLISTED" }
    })
    expect(response.status).toBe(200)
    return response.body as { videoId: string; uploadId: string; partSize: number; partCount: number; manageToken: string }
  }

  const partUrls = async (upload: Awaited<ReturnType<typeof create>>, partNumbers: Array<number>) => {
    const response = await api(`/api/upload/${upload.videoId}/multipart/parts`, {
      method: "POST",
      token: upload.manageToken,
      json: { uploadId: upload.uploadId, partNumbers }
    })
    expect(response.status).toBe(200)
    return new Map<number, string>(response.body.parts.map((part: any) => [part.partNumber, part.url]))
  }

  const putPart = async (url: string, body: Buffer, partNumber: number, partSize: number) => {
    const response = await fetch(url, { method: "PUT", body: new Uint8Array(body.subarray((partNumber - 1) * partSize, partNumber * partSize)) })
    expect(response.status).toBe(200)
    return response.headers.get("etag")!.replaceAll('"', "")
  }

  const storedParts = async (upload: Awaited<ReturnType<typeof create>>) => {
    const response = await api(`/api/upload/${upload.videoId}/multipart/parts?uploadId=${encodeURIComponent(upload.uploadId)}`, { token: upload.manageToken })
    expect(response.status).toBe(200)
    return response.body
  }

  it("sends parts to presigned URLs, resumes from the stored parts after an interruption, and completes", async () => {
    const body = await bigClip()
    const upload = await create(body)
    expect(upload.partSize).toBe(16 * MiB)
    expect(upload.partCount).toBe(Math.ceil(body.length / (16 * MiB)))

    // The first session sends part 1 and is interrupted.
    const first = await partUrls(upload, [1])
    await putPart(first.get(1)!, body, 1, upload.partSize)

    // The next session asks what storage already holds and sends only the rest.
    const resumed = await storedParts(upload)
    expect(resumed).toMatchObject({ uploadId: upload.uploadId, partSize: upload.partSize, partCount: upload.partCount })
    expect(resumed.parts.map((part: any) => [part.partNumber, part.size])).toEqual([[1, 16 * MiB]])
    const missing = Array.from({ length: upload.partCount }, (_, index) => index + 1).filter((n) => n !== 1)
    const urls = await partUrls(upload, missing)
    for (const partNumber of missing) await putPart(urls.get(partNumber)!, body, partNumber, upload.partSize)

    const complete = await api(`/api/upload/${upload.videoId}/complete`, {
      method: "POST",
      token: upload.manageToken,
      json: { uploadId: upload.uploadId }
    })
    expect(complete.status).toBe(200)
    const stored = await objectsUnder(StorageKeys.original(upload.videoId))
    expect(stored).toEqual([{ key: StorageKeys.original(upload.videoId), size: body.length }])
    const video = await waitForOutcome(upload.videoId, { token: upload.manageToken })
    expect(video.failureReason).toBeNull()
    expect(video.status).toBe("READY")
    expect(video.variants.map((variant: any) => variant.resolution)).toEqual(["720p", "480p", "360p"])
  })

  it("refuses to complete with a part missing or wrong ETags, keeping the parts for a retry", async () => {
    const body = await bigClip()
    const upload = await create(body)
    const urls = await partUrls(upload, [1, 2])
    const etag1 = await putPart(urls.get(1)!, body, 1, upload.partSize)
    const complete = (json: unknown) => api(`/api/upload/${upload.videoId}/complete`, { method: "POST", token: upload.manageToken, json })

    const incomplete = await complete({ uploadId: upload.uploadId })
    expect(incomplete.status).toBe(400)
    expect(incomplete.body.message).toMatch(/The upload is incomplete: part 2 of 2 missing/)

    const etag2 = await putPart(urls.get(2)!, body, 2, upload.partSize)
    const forged = await complete({ uploadId: upload.uploadId, parts: [{ partNumber: 1, etag: etag1 }, { partNumber: 2, etag: "0".repeat(32) }] })
    expect(forged.status).toBe(400)
    expect(forged.body.message).toMatch(/Storage refused to assemble the parts/)
    expect((await storedParts(upload)).parts).toHaveLength(2)

    // Without uploadId the video's one unfinished upload is completed, from the ETags the browser read.
    const fine = await complete({ parts: [{ partNumber: 1, etag: etag1 }, { partNumber: 2, etag: etag2 }] })
    expect(fine.status).toBe(200)
    expect((await objectsUnder(StorageKeys.original(upload.videoId)))[0]!.size).toBe(body.length)
  })

  it("answers 400 for an upload id that is not this video's, and for parts beyond the file", async () => {
    const body = await bigClip()
    const upload = await create(body)
    const other = await create(body)
    const wrongId = await api(`/api/upload/${upload.videoId}/multipart/parts?uploadId=${encodeURIComponent(other.uploadId)}`, { token: upload.manageToken })
    expect(wrongId.status).toBe(400)
    expect(wrongId.body.message).toMatch(/No multipart upload .* for this video/)
    const beyond = await api(`/api/upload/${upload.videoId}/multipart/parts`, {
      method: "POST",
      token: upload.manageToken,
      json: { uploadId: upload.uploadId, partNumbers: [upload.partCount + 1] }
    })
    expect(beyond.status).toBe(400)
    expect(beyond.body.message).toMatch(/there is no part/)
  })

  it("is aborted when the video is deleted, so its parts do not linger", async () => {
    const body = await bigClip()
    const upload = await create(body)
    const urls = await partUrls(upload, [1])
    await putPart(urls.get(1)!, body, 1, upload.partSize)
    const unfinished = async () => {
      const listed = await services.runPromise(Storage.use((storage) =>
        Effect.promise(() => storage.client.listIncompleteUploadsQuery(storage.bucket, StorageKeys.original(upload.videoId), "", "", ""))
      ))
      return listed.uploads.filter((u) => u.key === StorageKeys.original(upload.videoId)).map((u) => u.uploadId)
    }
    expect(await unfinished()).toEqual([upload.uploadId])
    expect((await api(`/api/videos/${upload.videoId}`, { method: "DELETE", token: upload.manageToken })).status).toBe(204)
    const { client } = await temporal()
    await client.workflow.getHandle(`delete-${upload.videoId}`).result()
    expect(await unfinished()).toEqual([])
  })
})
