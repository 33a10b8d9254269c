import type { ApplicationService } from '@adonisjs/core/types'
import { FanOutSignal } from '#services/posts/fan_out_signal'

/** One FanOutSignal per process: it coalesces the process's requests for a fan-out drain. */
export default class FanOutProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(FanOutSignal, () => new FanOutSignal())
  }
}
