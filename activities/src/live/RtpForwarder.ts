import { createSocket, type Socket } from "node:dgram"

/** Sends the publisher's decrypted RTP and RTCP to ffmpeg's loopback ports. */
export class RtpForwarder {
  private readonly socket: Socket = createSocket("udp4")

  /** Bound before use so ffmpeg's receiver reports come back to a known, open port rather than an error. */
  static async open(): Promise<RtpForwarder> {
    const forwarder = new RtpForwarder()
    await new Promise<void>((resolve, reject) => {
      forwarder.socket.once("error", reject)
      forwarder.socket.bind(0, "127.0.0.1", () => resolve())
    })
    // ffmpeg's receiver reports are of no use here; reading them keeps the socket buffer empty.
    forwarder.socket.on("message", () => {})
    forwarder.socket.on("error", () => {})
    return forwarder
  }

  send(packet: Buffer, port: number): void {
    this.socket.send(packet, port, "127.0.0.1")
  }

  close(): void {
    try {
      this.socket.close()
    } catch {
      // Already closed.
    }
  }
}
