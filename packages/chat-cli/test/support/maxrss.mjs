// Preloaded (`node --import`) into a CLI process whose memory a test measures: at exit, writes the process's peak
// resident set size (`process.resourceUsage().maxRSS`, in KiB, as the kernel counts it) to $CHAT_USERS_MAXRSS_FILE.
// The CLI itself has no such code and prints nothing extra.
import { writeFileSync } from "node:fs"

process.on("exit", () => {
  writeFileSync(process.env.CHAT_USERS_MAXRSS_FILE, String(process.resourceUsage().maxRSS))
})
