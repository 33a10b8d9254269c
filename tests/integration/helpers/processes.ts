import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer, connect } from 'node:net'

/**
 * A port nothing listens on right now: the OS picks it, we release it.
 */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

function portAccepts(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/**
 * A child process the tests own: its output is kept for error messages, and
 * stop() ends it and waits for it to be gone.
 */
export class ChildService {
  output = ''
  #exited: Promise<unknown>

  constructor(
    readonly name: string,
    readonly child: ChildProcess
  ) {
    child.stdout?.on('data', (chunk) => (this.output += chunk))
    child.stderr?.on('data', (chunk) => (this.output += chunk))
    this.#exited = new Promise((resolve) => {
      child.once('exit', resolve)
      child.once('error', (error) => {
        this.output += String(error)
        resolve(error)
      })
    })
  }

  static start(
    name: string,
    command: string,
    args: string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}
  ) {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    return new ChildService(name, child)
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /**
   * Resolves once the port accepts connections; fails early if the process dies.
   */
  async waitForPort(port: number, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(`${this.name} exited before listening on ${port}:\n${this.output}`)
      }
      if (await portAccepts(port)) return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(
      `${this.name} did not listen on ${port} within ${timeoutMs} ms:\n${this.output}`
    )
  }

  async stop() {
    if (this.running) {
      this.child.kill('SIGTERM')
    }
    await this.#exited
  }
}

/**
 * Runs a command to its end and returns its exit code and output.
 */
export async function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}
) {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk) => (stdout += chunk))
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  if (child.stdin) {
    // A command may exit without reading its input; the exit code tells the story, not EPIPE.
    child.stdin.on('error', () => {})
    child.stdin.end(options.input)
  }
  const [code] = (await once(child, 'close')) as [number | null]
  return { code, stdout, stderr }
}
