import { args, flags } from '@adonisjs/core/ace'
import { AdminCommand, CommandError } from '#helpers/admin_command'

export default class RpcCall extends AdminCommand {
  static commandName = 'rpc:call'
  static description = 'Call a method of the email_sender RPC and print the reply'
  static help = [
    'Exits with 1 when the reply is an error or nothing answers.',
    '',
    '  {{ binaryName }} rpc:call ping',
    '  {{ binaryName }} rpc:call registration \'{"user_id": 7}\'',
    '  {{ binaryName }} rpc:call ping --timeout=2000',
  ]

  @args.string({ description: 'The method, e.g. ping or registration' })
  declare method: string

  @args.string({ description: 'The params as a JSON object', required: false })
  declare params?: string

  @flags.number({ description: 'Milliseconds to wait for the reply', default: 5000 })
  declare timeout: number

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { RpcClient } = await import('#rpc/client')
    const { timeout } = this.wholeNumbers({ timeout: [this.timeout, 1, 600_000] })
    const params = this.parseParams()
    const rpc = await this.app.container.make(RpcClient)
    const reply = await rpc.call(this.method, params, timeout)

    this.logger.log(JSON.stringify(reply, null, 2))
    if (!reply.ok) {
      this.exitCode = 1
    }
  }

  private parseParams() {
    if (this.params === undefined) return {}
    let params: unknown
    try {
      params = JSON.parse(this.params)
    } catch (error) {
      throw new CommandError(`The params are not valid JSON: ${error.message}`)
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new CommandError('The params must be a JSON object, e.g. \'{"user_id": 7}\'')
    }
    return params as Record<string, unknown>
  }
}
