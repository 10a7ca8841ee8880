import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "examples",
    include: ["test/**/*.test.ts"],
    setupFiles: ["../vitest.setup.ts"],
    testTimeout: 30_000
  }
})
