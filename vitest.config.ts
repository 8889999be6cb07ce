import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{sim,strategies,scenarios,viz,cli,files,test}/**/*.spec.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
