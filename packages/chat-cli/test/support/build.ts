/**
 * Builds the CLI the tests run: `src/bin.ts` bundled by esbuild into one plain JavaScript file (the workspace's
 * packages resolve to their TypeScript sources, which node cannot load; the bundle holds them compiled), so each
 * test executes the bundle as a user runs the bin (its `#!` line included). CI runs the tests before `pnpm build`, hence here.
 */
import { build } from "esbuild"
import { chmodSync, mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

export const buildCli = async (): Promise<string> => {
  const outfile = join(mkdtempSync(join(tmpdir(), "chat-users-test-")), "chat-users.mjs")
  await build({
    entryPoints: [resolve(import.meta.dirname, "../../src/bin.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    // CommonJS dependencies (undici) `require` node's modules: give the ESM bundle a `require`.
    banner: {
      js:
        "import { createRequire as __createRequire } from \"node:module\"; const require = __createRequire(import.meta.url);"
    }
  })
  // Executable, as an installed bin is: its `#!` line (and the node flags on it) is what runs it.
  chmodSync(outfile, 0o755)
  return outfile
}
