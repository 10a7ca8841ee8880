#!/usr/bin/env -S node --max-semi-space-size=2
// The bin in the repository (and `pnpm chat-users`): the CLI's TypeScript entry point through tsx's loader. The
// published package's bin is the built `dist/esm/bin.js` instead (`publishConfig.bin`), plain JavaScript.
import { register } from "tsx/esm/api"

register()
await import("../src/bin.ts")
