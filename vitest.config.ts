import { defineConfig } from "vitest/config"
import projects from "./vitest.workspace"

export default defineConfig({
  test: {
    projects,
    // The JSON report lets .ci/run print a one-line "N passed, N failed" summary.
    reporters: ["default", "json"],
    outputFile: { json: ".vitest/results.json" }
  }
})
