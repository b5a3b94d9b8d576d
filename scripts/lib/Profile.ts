import { existsSync } from "node:fs"
import { join } from "node:path"

export const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "")

/** Where each part of the stack listens and keeps its data, for `npm start` (dev) or `npm test` (test). */
export interface Profile {
  readonly name: "dev" | "test"
  readonly dataDir: string
  readonly ports: {
    readonly postgres: number
    readonly temporal: number
    readonly temporalUi: number
    readonly s3: number
    readonly weedMaster: number
    readonly weedVolume: number
    readonly weedFiler: number
    readonly api: number
    readonly site: number
  }
  readonly postgres: { readonly user: string; readonly password: string; readonly database: string }
  readonly s3: { readonly accessKey: string; readonly secretKey: string; readonly bucket: string; readonly region: string }
  /** Servers the user runs elsewhere; the stack starts only what is not given here. */
  readonly external: {
    readonly databaseUrl: string | undefined
    readonly temporalAddress: string | undefined
    readonly s3Endpoint: string | undefined
  }
  readonly durablePostgres: boolean
}

const env = (name: string): string | undefined => {
  const value = process.env[name]
  return value === undefined || value === "" ? undefined : value
}

const port = (name: string, fallback: number): number => Number(env(name) ?? fallback)

/** `npm start`: reads .env (if any) and the environment, with embedded defaults for everything. */
export const devProfile = (): Profile => {
  const dotenv = join(ROOT, ".env")
  if (existsSync(dotenv)) process.loadEnvFile(dotenv)
  return {
    name: "dev",
    dataDir: env("DATA_DIR") ?? join(ROOT, ".data"),
    ports: {
      postgres: port("POSTGRES_PORT", 5432),
      temporal: port("TEMPORAL_PORT", 7233),
      temporalUi: port("TEMPORAL_UI_PORT", 8233),
      s3: port("S3_PORT", 8333),
      weedMaster: port("WEED_MASTER_PORT", 9333),
      weedVolume: port("WEED_VOLUME_PORT", 9340),
      weedFiler: port("WEED_FILER_PORT", 8888),
      api: port("API_PORT", 3001),
      site: port("SITE_PORT", 3000)
    },
    postgres: {
      user: "postgres",
      password: env("POSTGRES_PASSWORD") ?? "reelbase",
      database: env("POSTGRES_DB") ?? "reelbase"
    },
    s3: {
      accessKey: env("S3_ACCESS_KEY") ?? "reelbase",
      secretKey: env("S3_SECRET_KEY") ?? "reelbase-local-secret",
      bucket: env("S3_BUCKET") ?? "reelbase",
      region: env("S3_REGION") ?? "us-east-1"
    },
    external: {
      databaseUrl: env("DATABASE_URL"),
      temporalAddress: env("TEMPORAL_ADDRESS"),
      s3Endpoint: env("S3_ENDPOINT")
    },
    durablePostgres: true
  }
}

/**
 * `npm test`: its own ports and a throwaway data folder, so it runs beside `npm start`.
 * TEST_PORT_OFFSET (a multiple of 100 up to 900) shifts every port, so checkouts can test at once:
 * the base ports sit in different thousands so that no shifted port meets another's.
 */
export const testProfile = (): Profile => {
  const offset = Number(env("TEST_PORT_OFFSET") ?? 0)
  return {
    name: "test",
    dataDir: join(ROOT, ".data", "test"),
    ports: {
      postgres: 15432 + offset,
      temporal: 17233 + offset,
      temporalUi: 16233 + offset,
      s3: 18333 + offset,
      weedMaster: 19333 + offset,
      weedVolume: 19340 + offset,
      weedFiler: 14888 + offset,
      api: 13001 + offset,
      site: 13000 + offset
    },
    postgres: { user: "postgres", password: "reelbase-test", database: "reelbase" },
    s3: { accessKey: "reelbase-test", secretKey: "reelbase-test-secret", bucket: "reelbase-test", region: "us-east-1" },
    external: { databaseUrl: undefined, temporalAddress: undefined, s3Endpoint: undefined },
    durablePostgres: false
  }
}

/** The environment every app process (api, worker, site) and test reads its config from. */
export const appEnv = (profile: Profile): Record<string, string> => {
  const { ports, postgres, s3, external } = profile
  const siteOrigin = env("SITE_ORIGIN") ?? `http://localhost:${ports.site}`
  const apiPublicUrl = env("PUBLIC_API_URL") ?? `http://localhost:${ports.api}`
  const s3Endpoint = external.s3Endpoint ?? `http://127.0.0.1:${ports.s3}`
  return {
    DATABASE_URL: external.databaseUrl ??
      `postgres://${postgres.user}:${encodeURIComponent(postgres.password)}@127.0.0.1:${ports.postgres}/${postgres.database}`,
    TEMPORAL_ADDRESS: external.temporalAddress ?? `127.0.0.1:${ports.temporal}`,
    TEMPORAL_NAMESPACE: env("TEMPORAL_NAMESPACE") ?? "default",
    TEMPORAL_UI_URL: env("TEMPORAL_UI_URL") ?? `http://localhost:${ports.temporalUi}`,
    S3_ENDPOINT: s3Endpoint,
    S3_PUBLIC_ENDPOINT: env("S3_PUBLIC_ENDPOINT") ?? s3Endpoint.replace("127.0.0.1", "localhost"),
    S3_ACCESS_KEY: s3.accessKey,
    S3_SECRET_KEY: s3.secretKey,
    S3_BUCKET: s3.bucket,
    S3_REGION: s3.region,
    API_PORT: String(ports.api),
    PUBLIC_API_URL: apiPublicUrl,
    API_INTERNAL_URL: env("API_INTERNAL_URL") ?? `http://127.0.0.1:${ports.api}`,
    SITE_PORT: String(ports.site),
    SITE_ORIGIN: siteOrigin
  }
}
