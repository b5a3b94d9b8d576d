import { NodeServices } from "@effect/platform-node"
import { Config, Context, Effect, Layer, Schema, Stream } from "effect"
import { ChildProcess, ChildProcessSpawner } from "effect/process"
import { type ProgressReport, progressParser } from "./progress.ts"

/** Where the binaries are: FFMPEG_PATH / FFPROBE_PATH, or whatever PATH finds. */
export const FfmpegConfig = Config.all({
  ffmpeg: Config.String("FFMPEG_PATH").pipe(Config.withDefault("ffmpeg")),
  ffprobe: Config.String("FFPROBE_PATH").pipe(Config.withDefault("ffprobe"))
})

export class FfmpegFailed extends Schema.TaggedError<FfmpegFailed>()("FfmpegFailed", {
  message: Schema.String,
  program: Schema.String,
  exitCode: Schema.NullOr(Schema.Number),
  stderr: Schema.String
}) {}

export interface Finished {
  readonly exitCode: number
  readonly stdout: string
  /** The end of stderr: with `-loglevel error` that is where the reason is. */
  readonly stderr: string
  readonly lastProgress: ProgressReport | undefined
}

export interface RunOptions {
  /** Called for every `-progress` block (the args must ask for `-progress pipe:1`). */
  readonly onProgress?: ((report: ProgressReport) => Effect.Effect<void>) | undefined
}

const STDERR_TAIL = 16 * 1024

/**
 * Runs ffmpeg and ffprobe. The child lives in the caller's scope: interrupting the caller (a cancelled activity)
 * terminates it. It also dies with the worker process, even on SIGKILL, when `setpriv` can arrange that.
 */
export class Ffmpeg extends Context.Service<Ffmpeg, {
  /** ffmpeg with these arguments; fails unless it exits 0. */
  run(args: ReadonlyArray<string>, options?: RunOptions): Effect.Effect<Finished, FfmpegFailed>
  /** ffprobe with these arguments; any exit code is returned, for the caller to judge. */
  probe(args: ReadonlyArray<string>): Effect.Effect<Finished, FfmpegFailed>
}>()("@reelbase/activities/Ffmpeg") {
  static readonly layer = Layer.effect(
    Ffmpeg,
    Effect.gen(function*() {
      const paths = yield* FfmpegConfig
      const spawner = yield* ChildProcessSpawner.ChildProcessSpawner
      // PR_SET_PDEATHSIG through util-linux: the kernel kills ffmpeg when the worker dies, however it dies.
      const diesWithParent = yield* spawner.exitCode(ChildProcess.make("setpriv", ["--pdeathsig", "KILL", "--", "true"])).pipe(
        Effect.map((code) => code === 0),
        Effect.orElseSucceed(() => false)
      )

      const exec = (program: string, args: ReadonlyArray<string>, options: RunOptions = {}) =>
        Effect.scoped(Effect.gen(function*() {
          const [command, commandArgs] = diesWithParent
            ? ["setpriv", ["--pdeathsig", "KILL", "--", program, ...args]] as const
            : [program, args] as const
          const handle = yield* spawner.spawn(ChildProcess.make(command, commandArgs, {
            stdin: "ignore",
            // On interruption: ask ffmpeg to stop, and make sure after a few seconds.
            killSignal: "SIGTERM",
            forceKillAfter: "5 seconds"
          }))
          const parse = progressParser()
          let lastProgress: ProgressReport | undefined
          const readStdout = options.onProgress === undefined
            ? handle.stdout.pipe(Stream.decodeText, Stream.mkString)
            : handle.stdout.pipe(
              Stream.decodeText,
              Stream.splitLines,
              Stream.runForEach((line) => {
                const report = parse(line)
                if (report === undefined) return Effect.void
                lastProgress = report
                return options.onProgress!(report)
              }),
              Effect.as("")
            )
          const readStderr = handle.stderr.pipe(
            Stream.decodeText,
            Stream.runFold(() => "", (tail: string, chunk: string) => (tail + chunk).slice(-STDERR_TAIL))
          )
          const [stdout, stderr] = yield* Effect.all([readStdout, readStderr], { concurrency: 2 })
          const exitCode = yield* handle.exitCode
          return { exitCode: Number(exitCode), stdout, stderr: stderr.trim(), lastProgress } satisfies Finished
        })).pipe(
          Effect.catchTag("PlatformError", (error) =>
            Effect.fail(new FfmpegFailed({
              message: `Could not run ${program}: ${error.message}`,
              program,
              exitCode: null,
              stderr: ""
            })))
        )

      const run = Effect.fn("Ffmpeg.run")(function*(args: ReadonlyArray<string>, options?: RunOptions) {
        const finished = yield* exec(paths.ffmpeg, args, options)
        if (finished.exitCode !== 0) {
          const lastLine = finished.stderr.split("\n").filter((line) => line.trim() !== "").at(-1) ?? "no error output"
          return yield* new FfmpegFailed({
            message: `ffmpeg exited with code ${finished.exitCode}: ${lastLine}`,
            program: paths.ffmpeg,
            exitCode: finished.exitCode,
            stderr: finished.stderr
          })
        }
        return finished
      })

      const probe = Effect.fn("Ffmpeg.probe")((args: ReadonlyArray<string>) => exec(paths.ffprobe, args))

      return Ffmpeg.of({ run, probe })
    })
  ).pipe(Layer.provide(NodeServices.layer))
}
