import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

/** A free port on 127.0.0.1, picked by the OS. */
export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address()
  server.close()
  await once(server, 'close')
  return port
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A child process the bench owns: output kept for error messages, stopped
 * with SIGTERM (then SIGKILL after a grace period).
 */
export class Child {
  output = ''
  stdout = ''

  constructor(name, command, args, options = {}) {
    this.name = name
    this.startedAt = performance.now()
    const { keepStdout, ...spawnOptions } = options
    this.process = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] })
    this.process.stdout.on('data', (chunk) => {
      if (options.keepStdout) this.stdout += chunk
      this.output = (this.output + chunk).slice(-20_000)
    })
    this.process.stderr.on('data', (chunk) => (this.output = (this.output + chunk).slice(-20_000)))
    this.exited = new Promise((resolve) => {
      this.process.once('exit', resolve)
      this.process.once('error', (error) => {
        this.output += String(error)
        resolve(error)
      })
    })
  }

  get pid() {
    return this.process.pid
  }

  get running() {
    return this.process.exitCode === null && this.process.signalCode === null
  }

  /** Milliseconds from spawn until `url` answers 200. */
  async waitForHttp(url, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited early:\n${this.output}`)
      try {
        const response = await fetch(url)
        await response.arrayBuffer()
        if (response.ok) return performance.now() - this.startedAt
      } catch {}
      await sleep(5)
    }
    throw new Error(`${this.name} did not answer ${url} within ${timeoutMs} ms:\n${this.output}`)
  }

  async stop() {
    if (this.running) {
      this.process.kill('SIGTERM')
      const timer = setTimeout(() => this.running && this.process.kill('SIGKILL'), 10_000)
      await this.exited
      clearTimeout(timer)
    }
  }
}

/** Runs a command to its end; throws with its output when it fails. */
export async function run(command, args, options = {}) {
  const child = new Child(args.join(' ').slice(0, 200), command, args, {
    ...options,
    keepStdout: true,
  })
  const code = await child.exited
  if (code !== 0)
    throw new Error(`${command} ${args.join(' ').slice(0, 200)} failed (${code}):\n${child.output}`)
  return child.stdout
}

/** Runs a Node script that prints one JSON line, and returns it parsed. */
export async function runJson(script, spec) {
  const output = await run(process.execPath, [script, JSON.stringify(spec)])
  return JSON.parse(output.trim().split('\n').at(-1))
}

/** Resident memory of a process, in MB (0 once it is gone). */
function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024
  } catch {
    return 0
  }
}

/**
 * CPU time (ms, user + system, every thread) process `pid` has used so far,
 * from /proc/<pid>/stat: utime and stime, in clock ticks (USER_HZ, 100 on Linux).
 */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may hold spaces and parentheses): utime is the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** Samples the peak RSS of some processes while a scenario runs. */
export function rssSampler(children) {
  const peaks = Object.fromEntries(Object.keys(children).map((name) => [name, 0]))
  const sample = () => {
    for (const [name, child] of Object.entries(children)) {
      if (child?.pid) peaks[name] = Math.max(peaks[name], rssMb(child.pid))
    }
  }
  sample()
  const timer = setInterval(sample, 100)
  return () => {
    clearInterval(timer)
    sample()
    return Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, Math.round(v)]))
  }
}
