import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import mysql from 'mysql2/promise'

/**
 * A fresh MySQL server has no application database; this creates it so
 * nobody has to open a MySQL shell. Safe to run again.
 */
export default class DbCreate extends BaseCommand {
  static commandName = 'db:create'
  static description = 'Create the application database if it does not exist yet'
  static help = ['Reads the connection from config/database.ts:', '  node ace db:create']
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Database connection to use', default: 'mysql' })
  declare connection: string

  async run() {
    const config = this.app.config.get<any>(`database.connections.${this.connection}`)
    if (!config) {
      this.logger.error(`Unknown database connection "${this.connection}"`)
      this.exitCode = 1
      return
    }

    const { database, ...server } = config.connection
    let client: mysql.Connection | undefined
    try {
      client = await mysql.createConnection({ ...server, connectTimeout: 5000 })
      const [result] = await client.query<mysql.ResultSetHeader>(
        'CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
        [database]
      )
      this.logger.success(
        result.warningStatus ? `Database "${database}" exists` : `Created database "${database}"`
      )
    } catch (error) {
      this.logger.error(`Cannot create database "${database}": ${error.message}`)
      this.exitCode = 1
    } finally {
      await client?.end()
    }
  }
}
