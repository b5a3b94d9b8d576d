import { createHash } from "node:crypto"
import type * as Minio from "minio"

/** Methods browsers use on the bucket directly: presigned single and multipart uploads. */
const CORS_METHODS = ["GET", "HEAD", "PUT", "POST"]

const corsXml = (origins: ReadonlyArray<string>): string =>
  [
    "<CORSConfiguration><CORSRule>",
    ...origins.map((origin) => `<AllowedOrigin>${origin}</AllowedOrigin>`),
    ...CORS_METHODS.map((method) => `<AllowedMethod>${method}</AllowedMethod>`),
    "<AllowedHeader>*</AllowedHeader>",
    // Multipart uploads need each part's ETag back in the page.
    "<ExposeHeader>ETag</ExposeHeader>",
    "<MaxAgeSeconds>3600</MaxAgeSeconds>",
    "</CORSRule></CORSConfiguration>"
  ].join("")

export interface BucketSetupResult {
  readonly created: boolean
  /** False when the store has no per-bucket CORS API (MinIO): configure CORS on the server instead. */
  readonly corsApplied: boolean
}

/**
 * Creates the bucket when missing and lets the site's origins upload to it from the browser.
 * Safe to run on every start.
 */
export const prepareBucket = async (
  client: Minio.Client,
  bucket: string,
  region: string,
  corsOrigins: ReadonlyArray<string>
): Promise<BucketSetupResult> => {
  const created = !(await client.bucketExists(bucket))
  if (created) await client.makeBucket(bucket, region)
  if (corsOrigins.length === 0) return { created, corsApplied: false }
  const xml = corsXml(corsOrigins)
  try {
    await client.makeRequestAsync(
      {
        method: "PUT",
        bucketName: bucket,
        query: "cors",
        headers: { "Content-MD5": createHash("md5").update(xml).digest("base64") }
      },
      xml,
      [200]
    )
    return { created, corsApplied: true }
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === "NotImplemented" || code === "MethodNotAllowed") return { created, corsApplied: false }
    throw error
  }
}
