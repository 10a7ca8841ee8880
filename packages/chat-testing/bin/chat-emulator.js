#!/usr/bin/env node
// The bin in the repository (and `pnpm emulator`): the emulator's TypeScript entry point through tsx's loader. The
// published package's bin is the built `dist/esm/bin.js` instead (`publishConfig.bin`), plain JavaScript.
import { register } from "tsx/esm/api"

// Loading the sources takes a moment: a SIGINT or SIGTERM meanwhile still stops the emulator cleanly, with 0.
const early = () => process.exit(0)
process.on("SIGINT", early)
process.on("SIGTERM", early)
register()
await import("../src/bin.ts")
process.off("SIGINT", early)
process.off("SIGTERM", early)
