// Prebuilds the workflow bundle (`npm run build`, and the worker image), so workers start without webpack.
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { bundleWorkflowCode } from "@temporalio/worker"

export const DEFAULT_BUNDLE_PATH = resolve(dirname(fileURLToPath(import.meta.url)), "../dist/workflow-bundle.js")

export const bundleWorkflows = async (outputPath: string = DEFAULT_BUNDLE_PATH): Promise<string> => {
  const { code } = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(import.meta.resolve("@reelbase/workflows"))
  })
  mkdirSync(dirname(outputPath), { recursive: true })
  writeFileSync(outputPath, code)
  return outputPath
}

if (import.meta.main) {
  const path = await bundleWorkflows(process.argv[2])
  console.log(`workflow bundle written to ${path}`)
}
