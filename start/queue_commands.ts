/*
| The queue package's commands, without `queue:listen`: it runs only Bull's
| consumer, ignores SIGTERM, and is not how this app processes jobs.
| `node ace worker` is (jobs, the RPC server and the outbox sweep, stopping
| gracefully on SIGTERM and SIGINT). `make:job` stays.
*/
import type { CommandMetaData } from '@adonisjs/core/types/ace'
import * as queueCommands from '@rlanz/bull-queue/commands'

const HIDDEN = new Set(['queue:listen'])

export async function getMetaData() {
  const commands = await queueCommands.getMetaData()
  return commands.filter(({ commandName }) => !HIDDEN.has(commandName))
}

export async function getCommand(metaData: CommandMetaData) {
  return HIDDEN.has(metaData.commandName) ? null : queueCommands.getCommand(metaData)
}
