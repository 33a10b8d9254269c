/*
|--------------------------------------------------------------------------
| npm run dev
|--------------------------------------------------------------------------
|
| First-run set-up (.env, the database, the RabbitMQ vhost, migrations),
| then the web server (hot reload) and the worker side by side.
|
| Each step runs in a process group of its own, and SIGTERM, SIGINT or
| SIGHUP sent to this process reaches the whole group as SIGINT: Ctrl+C in
| a terminal, which stops concurrently, `ace serve`, the HTTP server it
| starts and the worker. (npm passes a signal to its script alone, and
| `ace serve` and its HMR server answer SIGTERM by terminating the app
| without exiting: concurrently and both of them stayed, the server
| holding its port.) Whatever is still alive 10 s later is killed.
| The npm script `exec`s this file, so npm's signal reaches it.
|
*/
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'

const concurrently = fileURLToPath(new URL('../node_modules/.bin/concurrently', import.meta.url))

const STEPS = [
  ['bin/ensure_env.js'],
  ['ace', 'db:create'],
  ['ace', 'mq:create'],
  ['ace', 'migration:run'],
  [
    concurrently,
    '--kill-others',
    '--names=web,worker',
    '--prefix-colors=blue,magenta',
    // --no-clear: the first run's output (.env created, migrations) stays on screen.
    'node ace serve --hmr --no-clear',
    'node ace worker',
  ],
]

const GRACE_MS = 10_000

let group = null
let stopping = false

/** True while any process of the group is alive. */
function groupAlive(pid) {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    // npm passes on the terminal's Ctrl+C too: the group hears it once.
    if (stopping) return
    stopping = true
    try {
      if (group) process.kill(-group, 'SIGINT')
    } catch {} // the group ended on its own meanwhile
  })
}

for (const args of STEPS) {
  if (stopping) break
  const child = spawn(process.execPath, args, { stdio: 'inherit', detached: true })
  group = child.pid
  const [code] = await once(child, 'exit')
  // The group's leader is gone; the rest of the group gets its grace period.
  const deadline = Date.now() + GRACE_MS
  while (groupAlive(group) && Date.now() < deadline) await sleep(100)
  if (groupAlive(group)) process.kill(-group, 'SIGKILL')
  group = null
  if (code !== 0 || stopping) {
    process.exitCode = stopping ? 0 : (code ?? 1)
    break
  }
}
