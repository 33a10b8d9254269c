import { test } from '@japa/runner'
import type { Database } from '@adonisjs/lucid/database'
import { ReplicaHealth } from '#services/database/replica_health'

/** A replica whose SHOW REPLICA STATUS says `status`. */
async function problemOf(status: Record<string, string | number | null>) {
  const db = {
    connection: () => ({ rawQuery: async () => [[status]] }),
    manager: { get: () => undefined },
  } as unknown as Database
  const health = new ReplicaHealth(db, [{ name: 'mysql_replica_1', address: 'replica:3306' }], {
    maxLagSeconds: 5,
    checkEveryMs: 1000,
    checkTimeoutMs: 1000,
  })
  await health.check()
  return health.states()[0].problem
}

test.group('Replica health (app/services/database/replica_health.ts)', () => {
  test('a replica reporting 0 s behind serves reads only while both its threads run', async ({
    assert,
  }) => {
    const running = { Slave_IO_Running: 'Yes', Slave_SQL_Running: 'Yes', Seconds_Behind_Master: 0 }
    assert.isNull(await problemOf(running))
    // MySQL 8.0.22 and later name them Replica and Source.
    assert.isNull(
      await problemOf({
        Replica_IO_Running: 'Yes',
        Replica_SQL_Running: 'Yes',
        Seconds_Behind_Source: 0,
      })
    )
    assert.equal(
      await problemOf({ ...running, Slave_IO_Running: 'Connecting' }),
      'not receiving from the primary (I/O thread: Connecting)'
    )
    assert.equal(await problemOf({ ...running, Slave_SQL_Running: 'No' }), 'replication stopped')
    assert.equal(
      await problemOf({ ...running, Seconds_Behind_Master: 6 }),
      'behind by more than the allowed lag'
    )
  })
})
