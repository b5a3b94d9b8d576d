import node from "@astrojs/node"
import { defineConfig } from "astro/config"

export default defineConfig({
  output: "server",
  adapter: node({ mode: "standalone" }),
  server: { port: Number(process.env.SITE_PORT ?? 3000), host: true },
  telemetry: false,
  devToolbar: { enabled: false }
})
