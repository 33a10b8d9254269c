import ace from '@adonisjs/core/services/ace'

/** Runs a command in-process and returns it with its captured output. */
export async function runCommand(Command: any, argv: string[] = []) {
  // Raw mode keeps every log of the shared UI: start from none.
  ace.ui.logger.flushLogs()
  const command = await ace.create(Command, argv)
  await command.exec()
  const logs = command.logger.getLogs() as { message: string; stream: string }[]
  return { command, output: logs.map((log) => log.message).join('\n') }
}
