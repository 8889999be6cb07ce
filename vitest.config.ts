import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{classroom,sim,strategies,scenarios,viz,cli,errors,files,test}/**/*.spec.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The report page inlines the browser bundle: build it once if missing or older than viz/.
    globalSetup: ["./scripts/vitest-build-client.mjs"],
  },
});
