/*
| node benchmarks/lib/profile.js <file.cpuprofile> [rows]
|
| Where a process spent its CPU, from a V8 profile (`npm run bench` with
| BENCH_PROFILE=web,worker writes them): self time by function, and by package,
| so a profile can be read without opening DevTools.
*/
import { readFile } from 'node:fs/promises'

/** Self time (ms) per function and per package (node_modules/<name>, app, node, V8). */
export function summarize(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfMs = new Map()
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  }
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
  const top = (map) => [...map].sort((a, b) => b[1] - a[1])
  return { total, functions: top(functions), packages: top(packages) }
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
  const [file, rows = '25'] = process.argv.slice(2)
  const { total, functions, packages } = summarize(JSON.parse(await readFile(file, 'utf8')))
  const line = ([name, ms]) =>
    `${ms.toFixed(0).padStart(8)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${name}`
  console.log(`${file}: ${(total / 1000).toFixed(1)} s sampled\n\nby package`)
  console.log(packages.slice(0, 15).map(line).join('\n'))
  console.log('\nby function (self time)')
  console.log(functions.slice(0, Number(rows)).map(line).join('\n'))
}
