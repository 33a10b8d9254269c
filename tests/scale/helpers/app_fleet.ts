import { BuiltApp } from '#tests/integration/helpers/built_app'
import type { ChildService } from '#tests/integration/helpers/processes'

/**
 * What every scale stack runs of the app: built app replicas and one
 * worker, all on the same settings, as on several machines. Build first
 * (BuiltApp.build), beside the stack's own servers.
 */
export class AppFleet {
  private constructor(
    readonly replicas: BuiltApp[],
    readonly worker: ChildService
  ) {}

  static async start(env: NodeJS.ProcessEnv, { replicas = 2, workerArgs = [] as string[] } = {}) {
    const started = await Promise.allSettled([
      BuiltApp.startWorker(workerArgs, env),
      ...Array.from({ length: replicas }, () => BuiltApp.start(env)),
    ])
    const failed = started.find(
      (result): result is PromiseRejectedResult => result.status === 'rejected'
    )
    const [worker, ...apps] = started.map((result) =>
      result.status === 'fulfilled' ? result.value : undefined
    )
    if (failed) {
      // Nothing that did start outlives a stack that could not.
      await Promise.all([worker?.stop(), ...apps.map((one) => one?.stop())])
      throw failed.reason
    }
    return new AppFleet(apps as BuiltApp[], worker as ChildService)
  }

  async stop() {
    await this.worker.stop()
    await Promise.all(this.replicas.map((replica) => replica.stop()))
  }
}
