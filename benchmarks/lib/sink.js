/*
| The SMTP sink's HTTP side (benchmarks/smtp_sink.js): which recipient got
| a message, and when.
*/
import { sleep } from './processes.js'

export class Sink {
  constructor(port) {
    this.url = `http://127.0.0.1:${port}/deliveries`
  }

  async deliveries() {
    return (await fetch(this.url)).json()
  }

  async clear() {
    await fetch(this.url, { method: 'DELETE' })
  }

  /** Waits until the sink holds every one of `emails`; returns their delivery times. */
  async waitFor(emails, timeoutMs) {
    const wanted = new Set(emails)
    const deadline = Date.now() + timeoutMs
    let found = new Map()
    while (Date.now() < deadline) {
      found = new Map()
      for (const delivery of await this.deliveries()) {
        if (wanted.has(delivery.to) && !found.has(delivery.to)) found.set(delivery.to, delivery.at)
      }
      if (found.size === wanted.size) break
      await sleep(50)
    }
    return found
  }
}
