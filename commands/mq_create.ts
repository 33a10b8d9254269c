import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import amqp from 'amqplib'

const exec = promisify(execFile)

/**
 * Development, tests and the bench each speak RPC on their own RabbitMQ
 * virtual host, so a worker of one never answers another's calls. A fresh
 * RabbitMQ has only "/": this creates the vhost of AMQP_URL (and lets its
 * user in) with rabbitmqctl, which sits beside a local broker. Safe to run again.
 */
export default class MqCreate extends BaseCommand {
  static commandName = 'mq:create'
  static description = 'Create the RabbitMQ virtual host of AMQP_URL if it does not exist yet'
  static help = [
    'Needs rabbitmqctl on this machine when the vhost is missing:',
    '  node ace mq:create',
  ]
  static options: CommandOptions = { startApp: true }

  async run() {
    const url = new URL(this.app.config.get<string>('rabbitmq.url'))
    const vhost = decodeURIComponent(url.pathname.slice(1)) || '/'
    try {
      const connection = await amqp.connect(url.href, { timeout: 5000 })
      await connection.close()
      this.logger.success(`RabbitMQ vhost "${vhost}" exists`)
      return
    } catch (error) {
      // A missing vhost closes the connection while it opens (530 NOT_ALLOWED).
      if (!/NOT_ALLOWED|vhost|ConnectionClose/i.test(String(error.message))) {
        this.logger.error(`Cannot reach RabbitMQ at ${url.host}: ${error.message}`)
        this.exitCode = 1
        return
      }
    }
    const user = decodeURIComponent(url.username) || 'guest'
    try {
      await exec('rabbitmqctl', ['add_vhost', vhost])
      await exec('rabbitmqctl', ['set_permissions', '-p', vhost, user, '.*', '.*', '.*'])
      this.logger.success(`Created RabbitMQ vhost "${vhost}" for ${user}`)
    } catch (error) {
      this.logger.error(
        `RabbitMQ has no vhost "${vhost}" and rabbitmqctl could not create it (${error.message.split('\n')[0]}). ` +
          `Run: rabbitmqctl add_vhost ${vhost} && rabbitmqctl set_permissions -p ${vhost} ${user} ".*" ".*" ".*"`
      )
      this.exitCode = 1
    }
  }
}
