// What `npm test` (scripts/test.ts) tells the tests about the stack it started.
const required = (name: string): string => {
  const value = process.env[name]
  if (value === undefined || value === "") throw new Error(`${name} is not set: run the tests with \`npm test\``)
  return value
}

export const testEnv = {
  apiUrl: required("API_URL"),
  siteUrl: required("SITE_URL"),
  adminToken: required("ADMIN_TOKEN"),
  temporalAddress: required("TEMPORAL_ADDRESS"),
  temporalNamespace: process.env.TEMPORAL_NAMESPACE ?? "default",
  outputDir: required("TEST_OUTPUT_DIR")
}
