/*
| node benchmarks/lib/profile.js <file.cpuprofile> [rows]
| node benchmarks/lib/profile.js <file.cpuprofile> --under <text> [rows]
|
| Where a process spent its CPU, from a V8 profile (`npm run bench` with
| BENCH_PROFILE=web,worker writes them): self time by function, and by package,
| so a profile can be read without opening DevTools. `--under` answers what
| self time cannot: the time spent in and below each function whose name or
| file contains <text> (`--under createFromAdapterResult`, `--under
| app/services/sessions`), each with the callers it was reached from.
*/
import { readFile } from 'node:fs/promises'

/** Self time (ms) per sample's node, and each node's parent. */
function walk(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parents = new Map()
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node)
  const selfMs = new Map()
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  }
  return { byId, parents, selfMs }
}

/** Self time (ms) per function and per package (node_modules/<name>, app, node, V8). */
export function summarize(profile) {
  const { byId, selfMs } = walk(profile)
  const functions = new Map()
  const packages = new Map()
  let total = 0
  for (const [id, ms] of selfMs) {
    const { callFrame } = byId.get(id)
    const where = packageOf(callFrame.url, callFrame.functionName)
    const name = `${callFrame.functionName || '(anonymous)'} ${where}`
    functions.set(name, (functions.get(name) ?? 0) + ms)
    packages.set(where, (packages.get(where) ?? 0) + ms)
    total += ms
  }
  return { total, functions: sorted(functions), packages: sorted(packages) }
}

/**
 * Time (ms) in and below each function matching `text`, a sample counted
 * once per function however deep it recurses, with the same time split by
 * the function's caller.
 */
export function under(profile, text) {
  const { byId, parents, selfMs } = walk(profile)
  const inclusive = new Map()
  const callers = new Map()
  let total = 0
  for (const [id, ms] of selfMs) {
    total += ms
    const seen = new Set()
    for (let node = byId.get(id); node; node = parents.get(node.id)) {
      const name = frameName(node.callFrame)
      if (seen.has(name) || !name.includes(text)) continue
      seen.add(name)
      inclusive.set(name, (inclusive.get(name) ?? 0) + ms)
      const caller = parents.get(node.id)
      const from = `${name}  <  ${caller ? frameName(caller.callFrame) : '(root)'}`
      callers.set(from, (callers.get(from) ?? 0) + ms)
    }
  }
  return { total, functions: sorted(inclusive), callers: sorted(callers) }
}

const sorted = (map) => [...map].sort((a, b) => b[1] - a[1])

/** A function as `name file:line`, the file from node_modules or the build on. */
function frameName({ functionName, url, lineNumber }) {
  const file = url.includes('node_modules/')
    ? url.replace(/^.*node_modules\//, '')
    : url.replace(/^.*\/build\//, '')
  return `${functionName || '(anonymous)'} ${file || '(native)'}:${lineNumber + 1}`
}

function packageOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(V8/native)'
  const modules = url.split('node_modules/')
  if (modules.length > 1) {
    const [scope, name] = modules.at(-1).split('/')
    return scope.startsWith('@') ? `${scope}/${name}` : scope
  }
  if (url.startsWith('node:')) return 'node'
  return 'app'
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [file, ...rest] = process.argv.slice(2)
  const flag = rest.indexOf('--under')
  const text = flag === -1 ? null : rest.splice(flag, 2)[1]
  const rows = Number(rest[0] ?? 25)
  const profile = JSON.parse(await readFile(file, 'utf8'))
  const line =
    (total) =>
    ([name, ms]) =>
      `${ms.toFixed(0).padStart(8)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${name}`
  if (text) {
    const { total, functions, callers } = under(profile, text)
    console.log(`${file}: ${(total / 1000).toFixed(1)} s sampled\n\nin and below "${text}"`)
    console.log(functions.slice(0, rows).map(line(total)).join('\n') || '(no such function)')
    console.log('\nthe same, by caller')
    console.log(callers.slice(0, rows).map(line(total)).join('\n'))
  } else {
    const { total, functions, packages } = summarize(profile)
    console.log(`${file}: ${(total / 1000).toFixed(1)} s sampled\n\nby package`)
    console.log(packages.slice(0, 15).map(line(total)).join('\n'))
    console.log('\nby function (self time)')
    console.log(functions.slice(0, rows).map(line(total)).join('\n'))
  }
}
