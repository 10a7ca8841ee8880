import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "http-node",
    include: ["test/**/*.test.ts"],
    setupFiles: ["../../vitest.setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
