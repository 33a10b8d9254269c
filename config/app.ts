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
  generateRequestId: true,
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
