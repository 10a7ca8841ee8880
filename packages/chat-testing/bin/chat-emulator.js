#!/usr/bin/env node
// The package ships TypeScript sources: run the emulator's entry point through tsx's loader.
import { register } from "tsx/esm/api"

register()
await import("../src/bin.ts")
