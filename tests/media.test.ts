import { Storage, StorageKeys } from "@reelbase/domain"
import { describe, expect, it } from "vitest"
import { seedVideo, services, sql } from "./support/db.ts"
import { testEnv } from "./support/env.ts"
import { api } from "./support/http.ts"

const put = (key: string, body: string | Buffer, contentType = "application/octet-stream") =>
  services.runPromise(Storage.use((storage) => storage.putBytes(key, body, contentType)))

const MASTER = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.4d401e"\n360p/index.m3u8\n'
const segment = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256))

/** A READY video with a master playlist, one segment and a thumbnail in storage. */
const seedPlayable = async (visibility: "PUBLIC" | "PRIVATE" = "PUBLIC", status: "READY" | "PROCESSING" = "READY") => {
  const seeded = await seedVideo({ visibility, status })
  const id = seeded.video.id
  await put(StorageKeys.master(id), MASTER)
  await put(`videos/${id}/360p/seg_00001.ts`, segment)
  await put(StorageKeys.thumbnail(id), Buffer.from([0xff, 0xd8, 0xff]))
  await put(StorageKeys.original(id), "the original upload")
  await sql`UPDATE videos SET hls_manifest_key = ${StorageKeys.master(id)}, thumbnail_key = ${StorageKeys.thumbnail(id)} WHERE id = ${id}`
  return seeded
}

const media = (key: string, headers: Record<string, string> = {}, method = "GET") =>
  fetch(`${testEnv.apiUrl}/api/media/${key}`, { headers, method })

describe("GET /api/media/<key>", () => {
  it("serves playlists, segments and thumbnails with their content types and cache headers", async () => {
    const { video } = await seedPlayable()
    const detail = (await api(`/api/videos/${video.id}`)).body
    expect(detail.hlsUrl).toBe(`${process.env.PUBLIC_API_URL}/api/media/videos/${video.id}/master.m3u8`)
    expect(detail.thumbnailUrl).toBe(`${process.env.PUBLIC_API_URL}/api/media/videos/${video.id}/thumbnail.jpg`)

    const playlist = await media(`videos/${video.id}/master.m3u8`)
    expect(playlist.status).toBe(200)
    expect(playlist.headers.get("content-type")).toBe("application/vnd.apple.mpegurl")
    expect(playlist.headers.get("cache-control")).toBe("public, max-age=31536000, immutable")
    expect(await playlist.text()).toBe(MASTER)

    const seg = await media(`videos/${video.id}/360p/seg_00001.ts`)
    expect(seg.headers.get("content-type")).toBe("video/mp2t")
    expect(Buffer.from(await seg.arrayBuffer())).toEqual(segment)

    expect((await media(`videos/${video.id}/thumbnail.jpg`)).headers.get("content-type")).toBe("image/jpeg")
  })

  it("keeps the master playlist revalidated while the video is still transcoding", async () => {
    const { video } = await seedPlayable("PUBLIC", "PROCESSING")
    expect((await media(`videos/${video.id}/master.m3u8`)).headers.get("cache-control")).toBe("public, no-cache")
    expect((await media(`videos/${video.id}/360p/seg_00001.ts`)).headers.get("cache-control")).toContain("immutable")
  })

  it("answers Range requests with 206 and unsatisfiable ones with 416", async () => {
    const { video } = await seedPlayable()
    const partial = await media(`videos/${video.id}/360p/seg_00001.ts`, { range: "bytes=100-199" })
    expect(partial.status).toBe(206)
    expect(partial.headers.get("content-range")).toBe("bytes 100-199/1000")
    expect(partial.headers.get("content-length")).toBe("100")
    expect(Buffer.from(await partial.arrayBuffer())).toEqual(segment.subarray(100, 200))

    const tail = await media(`videos/${video.id}/360p/seg_00001.ts`, { range: "bytes=-10" })
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(segment.subarray(990))

    const beyond = await media(`videos/${video.id}/360p/seg_00001.ts`, { range: "bytes=5000-" })
    expect(beyond.status).toBe(416)
    expect(beyond.headers.get("content-range")).toBe("bytes */1000")
  })

  it("answers a matching If-None-Match with 304, and HEAD without a body", async () => {
    const { video } = await seedPlayable()
    const first = await media(`videos/${video.id}/360p/seg_00001.ts`)
    const etag = first.headers.get("etag")!
    expect(etag).toMatch(/^".+"$/)
    const again = await media(`videos/${video.id}/360p/seg_00001.ts`, { "if-none-match": etag })
    expect(again.status).toBe(304)
    const head = await media(`videos/${video.id}/360p/seg_00001.ts`, {}, "HEAD")
    expect(head.status).toBe(200)
    expect(head.headers.get("content-length")).toBe("1000")
  })

  it("never serves originals, unknown videos or paths that try to escape", async () => {
    const { video } = await seedPlayable()
    expect((await media(`uploads/${video.id}/original`)).status).toBe(404)
    expect((await media(`videos/${video.id}/..%2F..%2Fuploads%2F${video.id}%2Foriginal`)).status).toBe(404)
    expect((await media(`videos/00000000-0000-4000-8000-000000000000/master.m3u8`)).status).toBe(404)
    expect((await media(`videos/${video.id}/missing.ts`)).status).toBe(404)
  })

  it("plays private videos only through a signed URL, and signs every URI of their playlists", async () => {
    const { video, manageToken } = await seedPlayable("PRIVATE")
    expect((await media(`videos/${video.id}/master.m3u8`)).status).toBe(404)
    expect((await media(`videos/${video.id}/360p/seg_00001.ts?t=1.forged`)).status).toBe(404)

    const detail = (await api(`/api/videos/${video.id}`, { token: manageToken })).body
    const signed = new URL(detail.hlsUrl)
    const t = signed.searchParams.get("t")!
    expect(t).toMatch(/^\d+\.[\w-]+$/)
    const playlist = await fetch(signed)
    expect(playlist.status).toBe(200)
    expect(playlist.headers.get("cache-control")).toContain("private")
    expect(await playlist.text()).toContain(`360p/index.m3u8?t=${encodeURIComponent(t)}`)
    expect((await media(`videos/${video.id}/360p/seg_00001.ts?t=${t}`)).status).toBe(200)
    expect((await media(`videos/${video.id}/360p/seg_00001.ts`, { authorization: `Bearer ${manageToken}` })).status).toBe(200)
  })

  it("plays a private live stream only through signed URLs, its growing playlist never cached", async () => {
    const { video, manageToken } = await seedVideo({ visibility: "PRIVATE", status: "LIVE", videoType: "LIVE" })
    const id = video.id
    const playlistKey = `live/${id}/index.m3u8`
    await put(playlistKey, "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:7\n#EXTINF:1.0,\nseg_00007.ts\n")
    await put(`live/${id}/seg_00007.ts`, segment)
    await sql`UPDATE videos SET is_live_now = true, hls_manifest_key = ${playlistKey} WHERE id = ${id}`

    expect((await media(playlistKey)).status).toBe(404)
    expect((await media(`live/${id}/seg_00007.ts`)).status).toBe(404)
    expect((await api(`/api/videos/${id}`)).status).toBe(404)

    const detail = (await api(`/api/videos/${id}`, { token: manageToken })).body
    const signed = new URL(detail.hlsUrl)
    expect(signed.pathname).toBe(`/api/media/${playlistKey}`)
    const t = signed.searchParams.get("t")!
    const playlist = await fetch(signed)
    expect(playlist.status).toBe(200)
    expect(playlist.headers.get("cache-control")).toBe("private, no-cache")
    expect(await playlist.text()).toContain(`seg_00007.ts?t=${encodeURIComponent(t)}`)
    expect((await media(`live/${id}/seg_00007.ts?t=${encodeURIComponent(t)}`)).status).toBe(200)
  })
})
