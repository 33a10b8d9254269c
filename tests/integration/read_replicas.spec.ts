import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { Database } from '@adonisjs/lucid/database'
import mysql from 'mysql2/promise'
import { readReplicas } from '#config/database'
import { PrivateMariaDb } from '#tests/faults/helpers/servers'

const PROBE = 'replica_probe'

/**
 * DB_READ_HOSTS against a second, real MariaDB (a private mariadbd on its
 * own port and data folder). There is no replication between the two: each
 * holds a different row, so every answer shows which server served it.
 */
test.group('Read replicas (DB_READ_HOSTS)', (group) => {
  let replica: PrivateMariaDb
  let split: Database

  group.setup(async () => {
    replica = await PrivateMariaDb.create()
    await replica.start()
    const database = app.config.get<string>('database.connections.mysql.connection.database')
    const server = await mysql.createConnection({
      host: '127.0.0.1',
      port: replica.port,
      user: 'root',
    })
    await server.query('CREATE DATABASE ??', [database])
    await server.query('CREATE TABLE ??.?? (id INT PRIMARY KEY, served_by VARCHAR(20))', [
      database,
      PROBE,
    ])
    await server.query('INSERT INTO ??.?? VALUES (1, ?)', [database, PROBE, 'replica'])
    await server.end()

    await db.rawQuery('CREATE TABLE ?? (id INT PRIMARY KEY, served_by VARCHAR(20))', [PROBE])
    await db.table(PROBE).insert({ id: 1, served_by: 'primary' })

    // The app's connection, with the replicas parsed from the env format.
    const config = app.config.get<any>('database')
    split = new Database(
      {
        ...config,
        connections: {
          mysql: {
            ...config.connections.mysql,
            replicas: readReplicas(`127.0.0.1:${replica.port}`),
          },
        },
      },
      logger,
      emitter
    )
    return async () => {
      await split.manager.closeAll()
      await db.rawQuery('DROP TABLE IF EXISTS ??', [PROBE])
      await replica.destroy()
    }
  })

  test('the env format: host:port pairs, the primary port by default, none when empty', ({
    assert,
  }) => {
    assert.isUndefined(readReplicas(undefined))
    assert.isUndefined(readReplicas(' , '))
    const replicas = readReplicas('10.0.0.2:3307, replica-b')!
    assert.deepEqual(replicas.read.connection, [
      { host: '10.0.0.2', port: 3307 },
      { host: 'replica-b', port: app.config.get('database.connections.mysql.connection.port') },
    ])
    assert.equal(
      replicas.write.connection.host,
      app.config.get('database.connections.mysql.connection.host')
    )
  })

  test('SELECTs go to the replica; writes, transactions and primary reads to the primary', async ({
    assert,
  }) => {
    const servedBy = async (query: any) => (await query.where('id', 1).first()).served_by

    assert.equal(await servedBy(split.from(PROBE)), 'replica')
    assert.equal(await servedBy(split.query({ mode: 'write' }).from(PROBE)), 'primary')
    assert.equal(await split.transaction((trx) => servedBy(trx.from(PROBE))), 'primary')

    await split.table(PROBE).insert({ id: 2, served_by: 'written' })
    assert.equal((await db.from(PROBE).where('id', 2).first()).served_by, 'written')
    assert.isNull(await split.from(PROBE).where('id', 2).first())
  })
})
