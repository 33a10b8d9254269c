/*
| What a run measured: one row per scenario, and the numbers that make them.
*/
export const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits

/** The app's rate over its floor's, 0 when the floor served nothing (a broken floor is no pass). */
export const ratio = (app, floor) => (floor > 0 ? round(app / floor, 2) : 0)

export function percentile(sorted, p) {
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
    : 0
}

/** Rounds of one scenario as one: mean rate, worst latencies, all errors and leaks. */
export function combine(runs) {
  const worst = (key) => Math.max(...runs.map((r) => r[key] ?? 0))
  const sum = (key) => runs.reduce((total, r) => total + (r[key] ?? 0), 0)
  return {
    rps: sum('rps') / runs.length,
    requests: sum('requests'),
    errors: sum('errors'),
    leaks: sum('leaks'),
    p50: worst('p50'),
    p97_5: worst('p97_5'),
    p99: worst('p99'),
    // The server's CPU time per answer (µs), when the runs measured it.
    cpuUs: runs.every((r) => r.cpuMs !== undefined)
      ? round((sum('cpuMs') * 1000) / sum('requests'), 0)
      : undefined,
  }
}

export class Results {
  rows = []
  /** Hit rates of the app's in-process caches, per scenario. */
  cacheStats = {}
  /** App A's garbage collection pauses (ms, by kind) and the seconds they fell in, per scenario. */
  gcPauses = {}

  constructor(log) {
    this.log = log
  }

  record(name, label, result, rss, extra = {}) {
    const row = {
      name,
      label,
      rps: round(result.rps, 0),
      p50: round(result.p50),
      p97_5: round(result.p97_5),
      p99: round(result.p99),
      errors: result.errors,
      requests: result.requests,
      ...(result.leaks ? { leaks: result.leaks } : {}),
      ...(result.cpuUs !== undefined ? { cpuUs: result.cpuUs } : {}),
      rss,
      ...extra,
    }
    this.rows.push(row)
    this.log(
      `${label}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${row.errors}${row.leaks ? `, LEAKS ${row.leaks}` : ''}${row.cpuUs ? `, ${row.cpuUs} µs CPU each` : ''}, rss ${JSON.stringify(rss)}`
    )
    return row
  }

  push(row) {
    this.rows.push(row)
    return row
  }

  get(name) {
    return this.rows.find((row) => row.name === name)
  }
}
