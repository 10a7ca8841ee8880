import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "chat-cli",
    include: ["test/**/*.test.ts"],
    setupFiles: ["../../vitest.setup.ts"],
    // Bundles the CLI once (esbuild, about a second) for every test file: the tests run it as a process.
    globalSetup: ["test/support/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
