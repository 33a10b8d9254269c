/*
| Markdown for BENCHMARKS.md from a results file:
|   node benchmarks/lib/report.js benchmarks/results/latest.json
*/
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

export function markdownTable(rows) {
  const header = ['scenario', 'req/s', 'p50 ms', 'p97.5 ms', 'p99 ms', 'errors', 'peak RSS MB']
  const lines = rows.map((r) => [
    r.label,
    r.rps ?? (r.emailsPerSecond !== undefined ? `${r.emailsPerSecond} emails/s` : '—'),
    r.p50 ?? '—',
    r.p97_5 ?? '—',
    r.p99 ?? '—',
    r.errors,
    Object.entries(r.rss ?? {})
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  ])
  return [header, header.map(() => '---'), ...lines]
    .map((cells) => `| ${cells.join(' | ')} |`)
    .join('\n')
}

/** A ratio to the floor with both rates beside it: "0.62× (1400 vs 2258 req/s)". */
export const beside = (row) => `${row.ratioToFloor}× (${row.rps} vs floor ${row.floorRps} req/s)`

export function markdownTargets(targets) {
  return [
    '| target | measured | |',
    '|---|---|---|',
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met ? 'met' : 'MISS'} |`),
  ].join('\n')
}

// Run as a script (not imported by run.js): print the tables of a results file.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = JSON.parse(readFileSync(process.argv[2], 'utf8'))
  console.log(
    `Run of ${results.date}, ${results.settings.durationSeconds} s per scenario, load average at the end ${results.machine.loadAverageAtEnd?.join(' / ')}.\n`
  )
  console.log(markdownTable(results.scenarios))
  console.log()
  console.log(markdownTargets(results.targets))
}
