import { defineConfig } from '@adonisjs/core/app'

export default defineConfig({
  /*
  | Ace commands: the framework's, then the packages', then ours in ./commands.
  */
  commands: [
    () => import('@adonisjs/core/commands'),
    () => import('@adonisjs/lucid/commands'),
    () => import('@adonisjs/session/commands'),
    () => import('@adonisjs/mail/commands'),
    () => import('@adonisjs/bouncer/commands'),
    () => import('#start/queue_commands'),
  ],

  providers: [
    () => import('@adonisjs/core/providers/app_provider'),
    () => import('@adonisjs/core/providers/hash_provider'),
    {
      file: () => import('@adonisjs/core/providers/repl_provider'),
      environment: ['repl', 'test'],
    },
    () => import('@adonisjs/core/providers/vinejs_provider'),
    () => import('#providers/validation_messages_provider'),
    () => import('@adonisjs/core/providers/edge_provider'),
    () => import('@adonisjs/session/session_provider'),
    () => import('@adonisjs/shield/shield_provider'),
    () => import('@adonisjs/auth/auth_provider'),
    () => import('@adonisjs/mail/mail_provider'),
    () => import('@adonisjs/bouncer/bouncer_provider'),
    () => import('@adonisjs/drive/drive_provider'),
    () => import('@adonisjs/redis/redis_provider'),
    () => import('@adonisjs/limiter/limiter_provider'),
    () => import('@rlanz/bull-queue/queue_provider'),
    () => import('@adonisjs/lucid/database_provider'),
    () => import('#providers/app_cache_provider'),
    () => import('#providers/rpc_provider'),
    () => import('#providers/transmit_provider'),
    () => import('#providers/read_routing_provider'),
    () => import('#providers/live_streams_provider'),
    {
      file: () => import('#providers/shared_instances_provider'),
      environment: ['web', 'test'],
    },
  ],

  preloads: [
    () => import('#start/routes'),
    () => import('#start/kernel'),
    () => import('#start/view'),
    () => import('#start/redis'),
    () => import('#start/events'),
  ],

  tests: {
    suites: [
      {
        files: ['tests/unit/**/*.spec(.ts|.js)'],
        name: 'unit',
        timeout: 5000,
      },
      {
        files: ['tests/functional/**/*.spec(.ts|.js)'],
        name: 'functional',
        timeout: 30000,
      },
      {
        // Debian's chromium driving the pages over HTTP (tests/bootstrap.ts).
        files: ['tests/browser/**/*.spec(.ts|.js)'],
        name: 'browser',
        timeout: 30000,
      },
      {
        // Real services and processes: Redis, RabbitMQ, SMTP, the worker, nginx, docker-compose.
        files: ['tests/integration/**/*.spec(.ts|.js)'],
        name: 'integration',
        timeout: 60000,
      },
      {
        // Private MariaDB, Redis and RabbitMQ that the tests stop and restart,
        // and a 60 s soak: `npm run test:faults`, kept out of `npm test`.
        files: ['tests/faults/**/*.spec(.ts|.js)'],
        name: 'faults',
        timeout: 300000,
      },
      {
        // Many machines on this one: a MariaDB primary and a read_only replica,
        // two built app replicas behind the repository's Nginx config, a worker,
        // an S3 server and Redis with a Sentinel: `npm run test:scale`.
        files: ['tests/scale/**/*.spec(.ts|.js)'],
        name: 'scale',
        timeout: 300000,
      },
    ],
    // @japa/browser-client leaves a 5 s timer behind each browser assertion;
    // teardown (closing the app and its connections) still runs first.
    forceExit: true,
  },

  metaFiles: [
    {
      pattern: 'resources/views/**/*.edge',
      reloadServer: false,
    },
    {
      pattern: 'public/**',
      reloadServer: false,
    },
  ],
})
