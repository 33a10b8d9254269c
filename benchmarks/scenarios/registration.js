/*
| Hash-bound work: sign-in, registration (argon2id at the app's settings),
| reads while registrations run, and the welcome pipeline with the worker
| sending those emails at the same time.
*/
import { percentile, round } from '../lib/results.js'
import { sleep } from '../lib/processes.js'

const RATE = 50

export default {
  name: 'sign-in and registration',

  async run(bench) {
    const { stack, settings, results } = bench
    const url = stack.appA.url

    await bench.measure('login', 'POST /api/auth/login', { kind: 'login', connections: 16 }, 0)
    await bench.measure(
      'register',
      'POST /api/users (worker running)',
      { kind: 'register', connections: 16 },
      0
    )

    // Does hashing block the loop? Reads while registrations run flat out.
    let stop = stack.watch()
    const [, readsDuring] = await Promise.all([
      bench.load({ kind: 'register', url, connections: 16, duration: settings.duration }),
      bench.load({
        kind: 'get',
        url,
        path: '/api/users/:id',
        connections: 16,
        duration: settings.duration,
        zipf: settings.zipf,
      }),
    ])
    results.record(
      'get_during_register',
      'GET /api/users/:id during registrations',
      readsDuring,
      stop()
    )

    // Throughput: N queued with the worker stopped, then the time until the sink has them all.
    await stack.worker.stop()
    await sleep(200)
    await bench.sink.clear()
    const queued = await bench.load({
      kind: 'register',
      url,
      connections: 16,
      amount: settings.pipelineEmails,
      recordCreated: true,
    })
    stack.startWorker()
    stop = stack.watch()
    const delivered = await bench.sink.waitFor(
      queued.created.map((c) => c.email),
      120_000
    )
    const times = [...delivered.values()].sort((a, b) => a - b)
    const drainSeconds = (times.at(-1) - times[0]) / 1000
    results.push({
      name: 'pipeline_throughput',
      label: `welcome emails, ${queued.created.length} queued`,
      queued: queued.created.length,
      delivered: delivered.size,
      emailsPerSecond: round((delivered.size - 1) / Math.max(drainSeconds, 0.001), 0),
      errors: queued.errors + (queued.created.length - delivered.size),
      rss: stop(),
    })

    // Latency: registrations at 50/s with the worker running.
    await sleep(500)
    stop = stack.watch()
    const paced = await bench.load({
      kind: 'register',
      url,
      connections: 16,
      overallRate: RATE,
      amount: RATE * settings.pipelineSeconds,
      recordCreated: true,
    })
    const pacedDelivered = await bench.sink.waitFor(
      paced.created.map((c) => c.email),
      60_000
    )
    const latencies = paced.created
      .filter((c) => pacedDelivered.has(c.email))
      .map((c) => pacedDelivered.get(c.email) - c.at)
      .sort((a, b) => a - b)
    results.push({
      name: 'pipeline_latency',
      label: `201 → SMTP at ${RATE} registrations/s`,
      registered: paced.created.length,
      delivered: pacedDelivered.size,
      p50: latencies.length ? percentile(latencies, 50) : null,
      p99: latencies.length ? percentile(latencies, 99) : null,
      errors: paced.errors + (paced.created.length - pacedDelivered.size),
      rss: stop(),
    })
  },

  targets(results) {
    const register = results.get('register')
    const during = results.get('get_during_register')
    const pipe = results.get('pipeline_throughput')
    const latency = results.get('pipeline_latency')
    return [
      [
        'Registration ≥ 50 req/s with the worker running (argon2id, OWASP minimum)',
        `${register.rps} req/s`,
        register.rps >= 50 && register.errors === 0,
      ],
      ['GETs during registrations p99 < 50 ms', `${during.p99} ms`, during.p99 < 50],
      [
        'Welcome emails ≥ 300/s to the sink',
        `${pipe.emailsPerSecond}/s`,
        pipe.emailsPerSecond >= 300 && pipe.errors === 0,
      ],
      [
        'Welcome email p50 201 → delivery < 100 ms at 50/s',
        `${latency.p50} ms`,
        latency.p50 !== null && latency.p50 < 100 && latency.errors === 0,
      ],
    ]
  },
}
