import { createHash, randomBytes, timingSafeEqual } from "node:crypto"

/** A bearer secret: 256 random bits, URL-safe. Shown to its owner once; only its hash is stored. */
export const newSecret = (): string => randomBytes(32).toString("base64url")

export const hashSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex")

/** Constant-time comparison of a presented secret with a stored hash. */
export const secretMatches = (secret: string, storedHash: string): boolean => {
  const presented = Buffer.from(hashSecret(secret), "hex")
  const stored = Buffer.from(storedHash, "hex")
  return presented.length === stored.length && timingSafeEqual(presented, stored)
}
