/*
| `--replica`: a private MariaDB primary and read-only replica on free ports
| (the set-up the scale tests use, lib/replication.js), with mariadbd run by
| the bench like its other children.
*/
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Child, freePort, run, sleep } from './processes.js'
import { caughtUp, installArgs, replicate, rootQuery, serverArgs } from './replication.js'

class Node {
  constructor(name, serverId) {
    this.name = name
    this.serverId = serverId
  }

  async start(extraArgs) {
    this.dir = await mkdtemp(join(tmpdir(), `gsocial-bench-${this.name}-`))
    this.port = await freePort()
    // Its own temporary folder: servers bootstrapping at once elsewhere clash in /tmp.
    await run('mariadb-install-db', installArgs(this.dir), {
      env: { ...process.env, TMPDIR: this.dir },
    })
    // A later flag wins over the same one before it.
    this.child = new Child(`mariadb ${this.name}`, 'mariadbd', [
      ...serverArgs(this.dir, this.port, this.serverId),
      ...extraArgs,
    ])
    const deadline = Date.now() + 60_000
    for (;;) {
      if (!this.child.running) throw new Error(`${this.child.name} exited:\n${this.child.output}`)
      try {
        return await this.query('SELECT 1')
      } catch (error) {
        if (Date.now() > deadline) throw error
        await sleep(100)
      }
    }
  }

  query(sql, values) {
    return rootQuery(this.port, sql, values)
  }

  async destroy() {
    await this.child?.stop()
    if (this.dir) await rm(this.dir, { recursive: true, force: true })
  }
}

export class ReplicatedMariaDb {
  primary = new Node('primary', 1)
  replica = new Node('replica', 2)

  /** Both servers, with `database` on the primary replicating to the replica. */
  static async start(database, extraArgs = []) {
    const servers = new ReplicatedMariaDb()
    try {
      await Promise.all([servers.primary.start(extraArgs), servers.replica.start(extraArgs)])
      await replicate(servers.primary, servers.replica, database)
    } catch (error) {
      await servers.destroy()
      throw error
    }
    return servers
  }

  /** After the bench's own writes to the primary (the seed, the tokens). */
  caughtUp() {
    return caughtUp(this.primary, this.replica, 300_000)
  }

  async destroy() {
    await Promise.all([this.primary.destroy(), this.replica.destroy()])
  }
}
