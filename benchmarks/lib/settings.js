/*
| What a run does, from its flags and the environment:
|   --smoke          about a second per scenario on a small database (CI)
|   --skip-build     use build/ as it is
|   --only=a,b       only the scenarios whose names contain a or b ("post", "feed")
|   --replica        (or BENCH_READ_REPLICA=1) the app on a MariaDB primary and
|                    read-only replica of the bench's own, reading with DB_READ_HOSTS
| BENCH_DB (gsocial_bench; gsocial_bench_smoke for --smoke), BENCH_REDIS_DB (5), BENCH_AMQP_URL (the wt_bench
| vhost), BENCH_DURATION (seconds per scenario), BENCH_USERS (100000),
| BENCH_RESEED=1 (seed again even when the last seed has the same shape),
| BENCH_WEB_FLAGS (Node flags for the web processes, e.g.
| "--max-semi-space-size=4"), BENCH_PROFILE=web,worker,floor (`node --cpu-prof`),
| DB_HOST/DB_PORT/DB_USER/DB_PASSWORD, REDIS_HOST/REDIS_PORT.
*/
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export function settingsFrom(argv, env) {
  const smoke = argv.includes('--smoke')
  const root = fileURLToPath(new URL('../../', import.meta.url))
  const here = join(root, 'benchmarks')
  const resultsDir = join(here, 'results')
  const users = Number(env.BENCH_USERS ?? (smoke ? 2000 : 100_000))
  const only = argv
    .find((arg) => arg.startsWith('--only='))
    ?.slice(7)
    .split(',')
  return {
    smoke,
    only,
    skipBuild: argv.includes('--skip-build'),
    replica: argv.includes('--replica') || env.BENCH_READ_REPLICA === '1',
    reseed: smoke || env.BENCH_RESEED === '1',
    root,
    here,
    buildDir: join(root, 'build'),
    resultsDir,
    profilesDir: join(resultsDir, 'profiles'),
    statsPreload: join(here, 'lib/stats_preload.js'),
    profiled: new Set((env.BENCH_PROFILE ?? '').split(',').filter(Boolean)),
    webNodeFlags: (env.BENCH_WEB_FLAGS ?? '').split(' ').filter(Boolean),

    duration: Number(env.BENCH_DURATION ?? (smoke ? 1 : 10)),
    warmup: smoke ? 0.5 : 3,
    rounds: smoke ? 1 : 2,
    mixedSeconds: smoke ? 2 : 60,
    coldReads: Math.min(users, smoke ? 2000 : 20_000),
    pipelineEmails: smoke ? 20 : 1000,
    pipelineSeconds: smoke ? 1 : 10,
    zipf: 1.0,
    /** Signed-in viewers (bearer tokens), browsers (session cookies), profile editors. */
    viewers: smoke ? 64 : 512,
    browsers: smoke ? 8 : 64,
    updaters: 8,

    shape: {
      users,
      medianFriends: smoke ? 20 : 100,
      fanoutFriends: smoke ? 50 : 1000,
      medianPosts: smoke ? 3 : 5,
      days: 180,
    },
    connection: {
      host: env.DB_HOST ?? '127.0.0.1',
      port: Number(env.DB_PORT ?? 3306),
      user: env.DB_USER ?? 'root',
      password: env.DB_PASSWORD ?? '',
      // The smoke's small seed must not replace the full run's, kept between runs.
      database: env.BENCH_DB ?? (smoke ? 'gsocial_bench_smoke' : 'gsocial_bench'),
    },
    redis: {
      host: env.REDIS_HOST ?? '127.0.0.1',
      port: Number(env.REDIS_PORT ?? 6379),
      db: Number(env.BENCH_REDIS_DB ?? 5),
    },
    amqpUrl: env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/wt_bench',
  }
}
