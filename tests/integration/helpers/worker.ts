import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import queue from '@rlanz/bull-queue/services/main'
import amqp from 'amqplib'
import { truncateTables } from '#tests/helpers'
import { JobWorker } from '#jobs/job_worker'
import { RpcServer } from '#rpc/server'
import { EmailSenderMethods } from '#rpc/methods'
import { RPC_QUEUE } from '#rpc/protocol'

/**
 * The parts `node ace worker` runs, started in the test process.
 */
export async function startWorker(options: { jobs?: boolean; rpc?: boolean } = {}) {
  const stops: (() => Promise<void>)[] = []
  if (options.rpc !== false) {
    const server = new RpcServer({
      url: app.config.get('rabbitmq.url'),
      prefetch: 10,
      logger,
      methods: (await app.container.make(EmailSenderMethods)).table(),
    })
    await server.start()
    stops.push(() => server.stop())
  }
  if (options.jobs !== false) {
    const worker = new JobWorker(app, { concurrency: 10, logger })
    await worker.start().waitUntilReady()
    stops.unshift(() => worker.close())
  }
  return async () => {
    for (const stop of stops) await stop()
  }
}

/**
 * Empty tables, an empty job queue and an empty RPC queue.
 */
export async function resetPipeline() {
  await truncateTables()
  await queue.get()!.obliterate({ force: true })
  const connection = await amqp.connect(app.config.get('rabbitmq.url'))
  const channel = await connection.createChannel()
  await channel.assertQueue(RPC_QUEUE, { durable: true })
  await channel.purgeQueue(RPC_QUEUE)
  await connection.close()
}

/** Starts `node ace worker` as a real process and collects its output. */
export function startWorkerProcess(args: string[] = []) {
  const child = spawn(process.execPath, ['ace', 'worker', ...args], {
    cwd: app.makePath(),
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  return { child, output: () => output }
}
