/**
 * The test projects of the monorepo: one per package. The root `vitest.config.ts` passes this list to
 * `test.projects` (vitest 3.2 deprecates auto-detecting this file; one list, no warning).
 */
export default [
  "packages/chat",
  "packages/chat-testing",
  "packages/http-undici",
  "packages/http-node",
  "packages/chat-cli",
  "examples"
]
