/*
|--------------------------------------------------------------------------
| Ace entry point
|--------------------------------------------------------------------------
*/
import 'reflect-metadata'
import { Ignitor, prettyPrintError } from '@adonisjs/core'

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

/**
 * Output to a pipe or a file (grep, a script, a log) carries no colour
 * codes, unless `--ansi` or FORCE_COLOR asks for them.
 */
const argv = process.argv.splice(2)
const colourAsked = argv.includes('--ansi') || (process.env.FORCE_COLOR ?? '0') !== '0'
// Tables (cli-table3) colour their borders by their own reading of FORCE_COLOR.
if (argv.includes('--ansi')) process.env.FORCE_COLOR = '1'
if (!process.stdout.isTTY && !colourAsked && !argv.includes('--no-ansi')) {
  argv.push('--no-ansi')
  process.env.FORCE_COLOR = '0'
}

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.listen('SIGTERM', () => app.terminate())
    app.listenIf(app.managedByPm2, 'SIGINT', () => app.terminate())
  })
  .ace()
  .handle(argv)
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
