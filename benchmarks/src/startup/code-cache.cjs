/**
 * Runs a CommonJS bundle with V8's code cache, as Node 22's `module.enableCompileCache()` would: the first run
 * compiles the bundle and writes the cache (`<bundle>.cache`) when the process exits, every later run compiles from
 * it. On Node 20 this takes `vm.Script`'s `cachedData`, the mechanism under both.
 */
const Fs = require("node:fs")
const Module = require("node:module")
const Path = require("node:path")
const Vm = require("node:vm")

module.exports = (bundle) => {
  const file = Path.resolve(__dirname, bundle)
  const cacheFile = file + ".cache"
  const cachedData = Fs.existsSync(cacheFile) ? Fs.readFileSync(cacheFile) : undefined
  const script = new Vm.Script(Module.wrap(Fs.readFileSync(file, "utf8")), { filename: file, cachedData })
  if (cachedData !== undefined && script.cachedDataRejected) throw new Error(`V8 rejected the code cache of ${file}`)
  const module = { exports: {} }
  script.runInThisContext().call(module.exports, module.exports, require, module, file, Path.dirname(file))
  if (cachedData === undefined) process.on("exit", () => Fs.writeFileSync(cacheFile, script.createCachedData()))
}
