import { execFile } from "node:child_process"
import { promisify } from "node:util"

/** Runs a program to completion (ffmpeg, ffprobe) and resolves with its output. */
export const run = promisify(execFile)
