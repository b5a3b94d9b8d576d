// The upload endpoints of the API (issue 3), as the upload island uses them.
import { apiJson } from "./api.ts"
import type { StoredPart } from "./uploadPlan.ts"
import type { UploadBackend, UploadTarget } from "./uploader.ts"

export interface NewUpload {
  readonly fileName: string
  readonly fileSize: number
  readonly contentType: string
  readonly title: string
  readonly description: string
  readonly visibility: string
}

interface PresignAnswer {
  readonly videoId: string
  readonly uploadUrl: string
  readonly expiresIn: number
  readonly manageToken: string
}

interface MultipartAnswer {
  readonly videoId: string
  readonly uploadId: string
  readonly partSize: number
  readonly partCount: number
  readonly manageToken: string
}

const path = (videoId: string, rest: string) => `/api/upload/${encodeURIComponent(videoId)}${rest}`

export const uploadApi = (apiUrl: string) => {
  const single = async (file: NewUpload): Promise<UploadTarget> => {
    const answer = await apiJson<PresignAnswer>(apiUrl, "/api/upload/presign", { method: "POST", json: file })
    return { videoId: answer.videoId, manageToken: answer.manageToken, single: { url: answer.uploadUrl } }
  }

  const multipart = async (file: NewUpload): Promise<UploadTarget> => {
    const answer = await apiJson<MultipartAnswer>(apiUrl, "/api/upload/multipart", { method: "POST", json: file })
    return {
      videoId: answer.videoId,
      manageToken: answer.manageToken,
      multipart: { uploadId: answer.uploadId, partSize: answer.partSize }
    }
  }

  const backend: UploadBackend = {
    partUrls: async (target, partNumbers) => {
      const answer = await apiJson<{ parts: ReadonlyArray<{ partNumber: number; url: string }> }>(
        apiUrl,
        path(target.videoId, "/multipart/parts"),
        { method: "POST", token: target.manageToken, json: { uploadId: target.multipart?.uploadId, partNumbers } }
      )
      return new Map(answer.parts.map((part) => [part.partNumber, part.url]))
    },
    storedParts: async (target) => {
      const query = new URLSearchParams({ uploadId: target.multipart?.uploadId ?? "" })
      const answer = await apiJson<{ parts: ReadonlyArray<StoredPart> }>(
        apiUrl,
        path(target.videoId, `/multipart/parts?${query.toString()}`),
        { token: target.manageToken }
      )
      return answer.parts
    },
    freshSingleUrl: async (target) => {
      const answer = await apiJson<{ uploadUrl: string }>(apiUrl, path(target.videoId, "/presign"), {
        method: "POST",
        token: target.manageToken
      })
      return answer.uploadUrl
    }
  }

  const complete = (target: UploadTarget) =>
    apiJson<{ message: string; videoId: string }>(apiUrl, path(target.videoId, "/complete"), {
      method: "POST",
      token: target.manageToken,
      json: target.multipart === undefined ? {} : { uploadId: target.multipart.uploadId }
    })

  const describe = (target: { videoId: string; manageToken: string }, change: { title: string; description: string; visibility: string }) =>
    apiJson<unknown>(apiUrl, `/api/videos/${encodeURIComponent(target.videoId)}`, {
      method: "PATCH",
      token: target.manageToken,
      json: change
    })

  return { single, multipart, backend, complete, describe }
}
