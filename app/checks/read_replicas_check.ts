import { BaseCheck, Result } from '@adonisjs/core/health'
import type { ReplicaHealth } from '#services/database/replica_health'

/**
 * Names the read replicas that serve no reads. Only a warning: the
 * primary serves their reads, so the app stays ready.
 */
export class ReadReplicasCheck extends BaseCheck {
  name = 'MySQL read replicas'

  constructor(private health: ReplicaHealth) {
    super()
  }

  async run() {
    const states = this.health.states()
    const down = states.filter((state) => !state.up)
    const meta = { replicas: states.map(({ address, up, problem }) => ({ address, up, problem })) }
    if (!down.length) return Result.ok(`${states.length} serving reads`).mergeMetaData(meta)
    const named = down.map((state) => `${state.address} (${state.problem})`).join(', ')
    return Result.warning(`Down, reads go to the primary: ${named}`).mergeMetaData(meta)
  }
}
