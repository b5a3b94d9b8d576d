import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{domain,activities,workflows,apps/*,site}/src/**/*.test.ts"]
        }
      },
      {
        test: {
          name: "integration",
          include: ["tests/**/*.test.ts"],
          // Real services, real ffmpeg, real browsers: slow on two shared cores.
          testTimeout: 180_000,
          hookTimeout: 180_000
        }
      }
    ],
    maxWorkers: 2
  }
})
