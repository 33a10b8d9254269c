import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { Secret } from '@adonisjs/core/helpers'
import { defineConfig } from '@adonisjs/core/http'
import proxyAddr from 'proxy-addr'

/**
 * The app key encrypts cookies and signs URLs. Keep it secret and the same
 * on every replica.
 */
export const appKey = new Secret(env.get('APP_KEY'))

export const http = defineConfig({
  /**
   * Request ids come from Nginx (X-Request-Id: $request_id) and still show
   * in the app's error logs. Generating one here (a cuid2, hashed with SHA-3) cost about a
   * third of the hot read's throughput (npm run bench, BENCHMARKS.md).
   */
  generateRequestId: false,
  allowMethodSpoofing: true,
  useAsyncLocalStorage: false,

  /**
   * Behind Nginx: trust the proxy on loopback and private networks so
   * request.ip() is the client's address from X-Forwarded-For.
   */
  trustProxy: proxyAddr.compile(
    env
      .get('TRUST_PROXY', 'loopback,linklocal,uniquelocal')
      .split(',')
      .map((s) => s.trim())
  ),

  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
})
