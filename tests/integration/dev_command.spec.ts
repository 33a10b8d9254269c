import { test } from '@japa/runner'
import { execFileSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import { waitUntil } from '#tests/helpers'
import { ChildService, freePort } from '#tests/integration/helpers/processes'

/** Every process below `pid`, from ps. */
function descendants(pid: number) {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
  const found: number[] = []
  let parents = [pid]
  while (parents.length) {
    const children = rows.filter(([, ppid]) => parents.includes(ppid)).map(([child]) => child)
    found.push(...children)
    parents = children
  }
  return found
}

function alive(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

test.group('npm run dev', () => {
  test('SIGTERM to npm stops the web server, the worker and everything they started', async ({
    assert,
  }) => {
    const port = await freePort()
    const envFile = app.makePath('.env')
    const hadEnv = existsSync(envFile)
    // The test run's own database, Redis db and vhost; a port of its own.
    const dev = ChildService.start('npm run dev', 'npm', ['run', 'dev'], {
      cwd: app.makePath(),
      env: { ...process.env, NODE_ENV: 'development', PORT: String(port), HOST: '127.0.0.1' },
    })
    const pid = dev.child.pid!
    let processes: number[] = []
    try {
      await dev.waitForPort(port, 150_000)
      // Both sides are up: the worker beside the server.
      await waitUntil(() => /\bace worker\b/.test(psOf(descendants(pid))), 20_000)
      processes = descendants(pid)
      assert.isAtLeast(processes.length, 4)

      dev.child.kill('SIGTERM')
      await waitUntil(() => !dev.running && processes.every((each) => !alive(each)), 15_000)
      await waitUntil(async () => !(await accepts(port)), 5_000)
    } finally {
      for (const each of [pid, ...processes]) if (alive(each)) process.kill(each, 'SIGKILL')
      if (!hadEnv) rmSync(envFile, { force: true })
    }
  }).timeout(200_000)
})

function psOf(pids: number[]) {
  if (pids.length === 0) return ''
  return execFileSync('ps', ['-o', 'args=', '-p', pids.join(',')], { encoding: 'utf8' })
}

async function accepts(port: number) {
  const response = await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null)
  return response !== null
}
