import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'
import { Database } from '@adonisjs/lucid/database'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { readReplicas } from '#config/database'
import { ReadRouting } from '#services/database/read_routing'
import { APP_USER, ReplicatedMariaDb } from '#tests/scale/helpers/replicated_mariadb'
import { waitUntil } from '#tests/helpers'

const DATABASE = 'gsocial_routing'

/** Which server answered: 1 is the primary, 2 the replica. */
async function servedBy(client: Database | QueryClientContract) {
  const [rows] = await client.rawQuery('SELECT @@server_id AS id')
  return Number(rows[0].id)
}

/**
 * Read routing (app/services/database/read_routing.ts) against a real MariaDB
 * primary and a read-only replica, as the app's database user, with the
 * routing built on a Database of its own.
 */
test.group('Read replicas (DB_READ_HOSTS)', (group) => {
  let servers: ReplicatedMariaDb
  let split: Database
  let routing: ReadRouting
  /** A read of a request that writes nothing, where replicas serve. */
  const read = () => routing.request(false, () => servedBy(split))

  group.setup(async () => {
    servers = await ReplicatedMariaDb.start(DATABASE)
    const mysql = app.config.get<any>('database.connections.mysql')
    const at = (port: number) => ({
      ...mysql,
      connection: { ...mysql.connection, ...APP_USER, port, database: DATABASE },
    })
    split = new Database(
      {
        connection: 'mysql',
        connections: {
          mysql: at(servers.primary.port),
          mysql_replica_1: at(servers.replica.port),
        },
      },
      logger,
      emitter
    )
    routing = new ReadRouting(
      split,
      [{ name: 'mysql_replica_1', address: `127.0.0.1:${servers.replica.port}` }],
      { maxLagSeconds: 5, checkEveryMs: 1000, checkTimeoutMs: 1000, stickyMs: 500 }
    )
    split.manager.connect('mysql')
    routing.install(split.manager.get('mysql')!.connection!)
    return async () => {
      await split.manager.closeAll()
      await servers.destroy()
    }
  })

  test('the env format: host:port pairs, the primary port by default, none when empty', ({
    assert,
  }) => {
    assert.deepEqual(readReplicas(undefined), [])
    assert.deepEqual(readReplicas(' , '), [])
    assert.deepEqual(readReplicas('10.0.0.2:3307, replica-b'), [
      { host: '10.0.0.2', port: 3307 },
      { host: 'replica-b', port: app.config.get('database.connections.mysql.connection.port') },
    ])
  })

  test('reads go to a replica once a check saw it replicating; a writing request reads the primary', async ({
    assert,
  }) => {
    assert.equal(await read(), 1, 'not checked yet: the primary')
    await routing.health.check()
    assert.deepEqual(routing.health.states()[0], {
      name: 'mysql_replica_1',
      address: `127.0.0.1:${servers.replica.port}`,
      up: true,
      problem: null,
    })
    assert.equal(await read(), 2)
    assert.equal(await servedBy(split), 1, 'outside a request: the primary')
    assert.equal(await servedBy(split.connection(undefined, { mode: 'write' })), 1)
    assert.equal(await routing.request(true, () => servedBy(split)), 1)
    assert.equal(await routing.request(false, () => servedBy(split)), 2)
  })

  test('a raw write outside a transaction reaches the read-only replica unless it asks for the primary', async ({
    assert,
  }) => {
    await servers.primary.query(`CREATE TABLE ${DATABASE}.probe (id INT PRIMARY KEY)`)
    await servers.caughtUp()
    await routing.health.check()
    // Why app/helpers/primary.ts exists: Lucid sends raw SQL to the read client.
    await assert.rejects(
      // Awaited inside the request: a query builder runs when awaited, not when built.
      () =>
        routing.request(false, async () => await split.rawQuery('INSERT INTO probe VALUES (1)')),
      /read-only/
    )
    await split.connection(undefined, { mode: 'write' }).rawQuery('INSERT INTO probe VALUES (1)')
    assert.lengthOf(await split.connection(undefined, { mode: 'write' }).from('probe'), 1)
  })

  test('a person who wrote reads the primary for DB_STICKY_MS, on any app replica', async ({
    assert,
  }) => {
    await routing.health.check()
    const [writer, other] = [900_001, 900_002]
    await routing.request(true, () => routing.actingFor(writer))

    const readFor = (userId: number) =>
      routing.request(false, async () => {
        await routing.actingFor(userId)
        return servedBy(split)
      })
    assert.equal(await readFor(writer), 1)
    assert.equal(await readFor(other), 2)
    // A read does not extend the window: once it passes, the replica again.
    await new Promise((resolve) => setTimeout(resolve, 600))
    assert.equal(await readFor(writer), 2)
  })

  test('with Redis not answering, a person reads the primary, and no request waits long on it', async ({
    assert,
  }) => {
    const hanging = () => new Promise<never>(() => {})
    const unanswered = new ReadRouting(
      split,
      [{ name: 'mysql_replica_1', address: `127.0.0.1:${servers.replica.port}` }],
      { maxLagSeconds: 5, checkEveryMs: 1000, checkTimeoutMs: 1000, stickyMs: 500 },
      { set: hanging, exists: hanging } as any
    )
    unanswered.install(split.manager.get('mysql')!.connection!)
    try {
      await unanswered.health.check()
      assert.equal(await unanswered.request(false, () => servedBy(split)), 2)
      const started = performance.now()
      await unanswered.request(true, () => unanswered.actingFor(900_003))
      const served = await unanswered.request(false, async () => {
        await unanswered.actingFor(900_003)
        return servedBy(split)
      })
      assert.equal(served, 1)
      assert.isBelow(performance.now() - started, 1500)
    } finally {
      routing.install(split.manager.get('mysql')!.connection!)
    }
  })

  test('a replica cut off from the primary serves no reads, whatever lag it reports', async ({
    assert,
  }) => {
    await servers.replica.query('STOP SLAVE IO_THREAD')
    try {
      await routing.health.check()
      assert.deepEqual(routing.health.upNames(), [])
      assert.equal(
        routing.health.states()[0].problem,
        'not receiving from the primary (I/O thread: No)'
      )
      assert.equal(await read(), 1)
    } finally {
      await servers.replica.query('START SLAVE IO_THREAD')
    }
    // Back once its I/O thread has connected again (it says "Connecting" first).
    await waitUntil(async () => {
      await routing.health.check()
      return routing.health.upNames().length === 1
    }, 15_000)
    assert.equal(await read(), 2)
  })

  test('a replica that stopped replicating, or is gone, serves no reads until it is back', async ({
    assert,
  }) => {
    await servers.replica.query('STOP SLAVE SQL_THREAD')
    await routing.health.check()
    assert.deepEqual(routing.health.upNames(), [])
    assert.equal(routing.health.states()[0].problem, 'replication stopped')
    assert.equal(await read(), 1)

    await servers.replica.query('START SLAVE SQL_THREAD')
    await routing.health.check()
    assert.equal(await read(), 2)

    await servers.replica.kill()
    // No check runs: the reads that meet the dead replica fail, and the
    // connection it refuses skips it, before the next check would.
    const answers: (number | string)[] = []
    while (answers.length < 3 && answers.at(-1) !== 1) {
      answers.push(await read().catch((error) => error.code ?? error.message))
    }
    assert.equal(answers.at(-1), 1, answers.join(', '))
    assert.match(routing.health.states()[0].problem!, /^unreachable/)
    await routing.health.check()
    assert.equal(await read(), 1)
  })
})
