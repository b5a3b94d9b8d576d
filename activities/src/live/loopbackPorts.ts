import { createSocket } from "node:dgram"

// Below Linux's ephemeral range (32768+), where the OS hands out ports to other programs' sockets.
const FIRST = 20_000
const LAST = 32_000

const canBind = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createSocket("udp4")
    socket.once("error", () => resolve(false))
    socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)))
  })

/**
 * Finds `count` consecutive free UDP ports on loopback, starting at an even port (RTP on even, RTCP on the odd one
 * after it). ffmpeg binds them itself a moment later; a program grabbing one in between makes ffmpeg fail to start,
 * which the session reports like any other packager failure.
 */
export const freeLoopbackPorts = async (count: number, attempts = 50): Promise<number> => {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const base = FIRST + 2 * Math.floor((Math.random() * (LAST - FIRST - count)) / 2)
    let free = true
    for (let port = base; port < base + count && free; port++) free = await canBind(port)
    if (free) return base
  }
  throw new Error(`no ${count} consecutive free UDP ports on 127.0.0.1 between ${FIRST} and ${LAST}`)
}
