import { BlockList, isIP } from "node:net"

/**
 * Which peers may tell the API the client's address through `x-forwarded-for` / `x-real-ip` (`TRUST_PROXY`):
 * - `false` (default): nobody; the socket's address is the client, whatever the headers say.
 * - `true`: every peer (the API is reachable only through a proxy that overwrites the headers).
 * - a comma-separated list of addresses and CIDR ranges (`127.0.0.1,10.0.0.0/8,::1`): only those peers, and
 *   `x-forwarded-for` is read from the right, skipping those proxies, so a client cannot pose as another by
 *   sending its own header.
 */
export type TrustProxy =
  | { readonly _tag: "None" }
  | { readonly _tag: "All" }
  | { readonly _tag: "Listed"; readonly proxies: BlockList; readonly text: string }

const family = (address: string): "ipv4" | "ipv6" => (isIP(address) === 6 ? "ipv6" : "ipv4")

/** `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) is the same client as `1.2.3.4`. */
export const normalizeAddress = (address: string): string => {
  const trimmed = address.trim()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed)
  return mapped?.[1] ?? trimmed
}

export const parseTrustProxy = (text: string): TrustProxy | { readonly error: string } => {
  const value = text.trim().toLowerCase()
  if (["", "false", "0", "no", "off"].includes(value)) return { _tag: "None" }
  if (["true", "1", "yes", "on"].includes(value)) return { _tag: "All" }
  const proxies = new BlockList()
  for (const entry of value.split(",").map((part) => part.trim()).filter((part) => part !== "")) {
    const [address = "", prefix, ...rest] = entry.split("/")
    const ip = normalizeAddress(address)
    const kind = isIP(ip)
    const bits = prefix === undefined ? undefined : Number(prefix)
    if (kind === 0 || rest.length > 0 || (bits !== undefined && (!Number.isInteger(bits) || bits < 0 || bits > (kind === 6 ? 128 : 32)))) {
      return { error: `TRUST_PROXY: ${JSON.stringify(entry)} is neither an IP address nor a CIDR range (use true, false, or a list like 127.0.0.1,10.0.0.0/8)` }
    }
    if (bits === undefined) proxies.addAddress(ip, family(ip))
    else proxies.addSubnet(ip, bits, family(ip))
  }
  return { _tag: "Listed", proxies, text: value }
}

const trusts = (trust: TrustProxy, address: string): boolean =>
  trust._tag === "All" || (trust._tag === "Listed" && isIP(address) !== 0 && trust.proxies.check(address, family(address)))

export interface RequestAddresses {
  /** The socket's remote address, if the connection still has one. */
  readonly peer: string | undefined
  readonly xForwardedFor: string | undefined
  readonly xRealIp: string | undefined
}

/** The client's address as far as `trust` lets the headers speak for it. */
export const clientAddress = (trust: TrustProxy, request: RequestAddresses): string => {
  const peer = normalizeAddress(request.peer ?? "unknown")
  if (!trusts(trust, peer)) return peer
  const forwarded = (request.xForwardedFor ?? "").split(",").map(normalizeAddress).filter((hop) => hop !== "")
  if (forwarded.length > 0) {
    // Each proxy appends the address it received from; walking back over trusted proxies finds the first hop
    // nobody trusted vouches beyond. A hop that is not an address means a malformed header: keep the peer.
    for (let index = forwarded.length - 1; index >= 0; index--) {
      const hop = forwarded[index]!
      if (isIP(hop) === 0) return peer
      if (!trusts(trust, hop) || index === 0) return hop
    }
  }
  const realIp = normalizeAddress(request.xRealIp ?? "")
  return isIP(realIp) === 0 ? peer : realIp
}
