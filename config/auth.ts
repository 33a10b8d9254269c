import { configProvider } from '@adonisjs/core'
import { defineConfig } from '@adonisjs/auth'
import { tokensGuard } from '@adonisjs/auth/access_tokens'
import { sessionGuard } from '@adonisjs/auth/session'
import type { InferAuthenticators, InferAuthEvents, Authenticators } from '@adonisjs/auth/types'

/*
| Both guards find the signed-in user (and the API its token) in the
| signed-in cache (app/services/sessions/signed_in_users.ts) rather than MySQL on
| every request. The providers are imported when the auth manager is
| first built, not when this file is read.
*/
const model = () => import('#models/user')

const authConfig = defineConfig({
  default: 'web',
  guards: {
    /** Browsers: a session cookie. */
    web: sessionGuard({
      useRememberMeTokens: false,
      provider: configProvider.create(async () => {
        const { CachedSessionUserProvider } =
          await import('#services/sessions/cached_user_providers')
        return new CachedSessionUserProvider({ model })
      }),
    }),

    /** API clients: opaque bearer tokens stored hashed in auth_access_tokens. */
    api: tokensGuard({
      provider: configProvider.create(async () => {
        const { CachedTokensUserProvider } =
          await import('#services/sessions/cached_user_providers')
        return new CachedTokensUserProvider({ tokens: 'accessTokens', model })
      }),
    }),
  },
})

export default authConfig

declare module '@adonisjs/auth/types' {
  export interface Authenticators extends InferAuthenticators<typeof authConfig> {}
}
declare module '@adonisjs/core/types' {
  interface EventsList extends InferAuthEvents<Authenticators> {}
}
