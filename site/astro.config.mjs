import node from "@astrojs/node"
import { defineConfig } from "astro/config"

export default defineConfig({
  output: "server",
  adapter: node({ mode: "standalone" }),
  server: { port: Number(process.env.SITE_PORT ?? 3000), host: true },
  // Form origins are checked in src/middleware.ts against SITE_ORIGIN, known only at run time.
  security: { checkOrigin: false },
  telemetry: false,
  devToolbar: { enabled: false }
})
