import type { ApplicationService } from '@adonisjs/core/types'
import type { PluginFn } from '@japa/runner/types'
import { configProvider } from '@adonisjs/core'
import { ApiClient, ApiRequest, ApiResponse } from '@japa/api-client'
import { SessionClient } from '@adonisjs/session/client'
import type { ResolvedSessionConfig } from '@adonisjs/session/types'
// The package's plugin declares the request and response macros' types.
import type {} from '@adonisjs/session/plugins/api_client'

const USED = Symbol('session used')

/**
 * The session plugin for the API client, on the store the app really uses
 * (config/session.ts: what a test puts in a session goes to Redis, which
 * the app reads; a guest's session comes back in a cookie), where
 * @adonisjs/session's own plugin always uses a memory store the app cannot
 * read. Also unlike it: the session cookie is sent only when
 * a test put something in the session (`withSession`, `loginAs`,
 * `withCsrfToken`), so a cookie a test sets itself is sent as is; and
 * sessions are not destroyed after each response, so a test can reuse the
 * cookie a sign-in gave it.
 */
export function sessionApiClient(app: ApplicationService): PluginFn {
  return async function () {
    const config = (await configProvider.resolve<ResolvedSessionConfig>(
      app,
      app.config.get('session')
    ))!
    const storeFactory = config.stores[config.store]
    const get = (bag: any, key: string) =>
      key.split('.').reduce((value, part) => (value === undefined ? value : value[part]), bag)

    ApiRequest.getter(
      'sessionClient',
      function () {
        return new SessionClient(storeFactory(null as any, config) as any)
      },
      true
    )
    ApiRequest.macro('withSession', function (this: ApiRequest, data) {
      ;(this as any)[USED] = true
      this.sessionClient.merge(data)
      return this
    })
    ApiRequest.macro('withFlashMessages', function (this: ApiRequest, data) {
      ;(this as any)[USED] = true
      this.sessionClient.flash(data)
      return this
    })
    ApiResponse.macro('session', function (this: ApiResponse, key?: string) {
      return key ? get(this.sessionBag.values, key) : this.sessionBag.values
    })
    ApiResponse.macro('flashMessages', function (this: ApiResponse) {
      return this.sessionBag.flashMessages
    })
    ApiResponse.macro('flashMessage', function (this: ApiResponse, key: string) {
      return get(this.sessionBag.flashMessages, key)
    })
    ApiResponse.macro('assertSession', function (this: ApiResponse, key: string, value?: any) {
      this.assert!.property(this.session(), key)
      if (value !== undefined) this.assert!.deepEqual(this.session(key), value)
    })
    ApiResponse.macro('assertSessionMissing', function (this: ApiResponse, key: string) {
      this.assert!.notProperty(this.session(), key)
    })
    ApiResponse.macro('assertFlashMessage', function (this: ApiResponse, key: string, value?: any) {
      this.assert!.property(this.flashMessages(), key)
      if (value !== undefined) this.assert!.deepEqual(this.flashMessage(key), value)
    })
    ApiResponse.macro('assertFlashMissing', function (this: ApiResponse, key: string) {
      this.assert!.notProperty(this.flashMessages(), key)
    })
    ApiResponse.macro('assertHasValidationError', function (this: ApiResponse, field: string) {
      this.assert!.property(this.flashMessage('errors'), field)
    })
    ApiResponse.macro(
      'assertDoesNotHaveValidationError',
      function (this: ApiResponse, field: string) {
        this.assert!.notProperty(this.flashMessage('errors'), field)
      }
    )
    ApiResponse.macro(
      'assertValidationError',
      function (this: ApiResponse, field: string, message: string) {
        this.assert!.include(this.flashMessage('errors')?.[field] || [], message)
      }
    )
    ApiResponse.macro(
      'assertValidationErrors',
      function (this: ApiResponse, field: string, messages: string[]) {
        this.assert!.deepEqual(this.flashMessage('errors')?.[field] || [], messages)
      }
    )

    ApiClient.onRequest((request) => {
      request.setup(async () => {
        if (!(request as any)[USED]) return
        request.withCookie(config.cookieName, request.sessionClient.sessionId)
        await request.sessionClient.commit()
      })
      request.teardown(async (response) => {
        const sessionId = response.cookie(config.cookieName)?.value
        // A guest's session comes back in its own encrypted cookie, named
        // after the session id; a signed-in one is in Redis.
        const guest = sessionId ? response.cookie(sessionId)?.value : undefined
        if (guest) {
          const { __flash__: flashMessages = {}, ...values } = guest
          response.sessionBag = { values, flashMessages }
        } else {
          response.sessionBag = sessionId
            ? await response.request.sessionClient.load(sessionId)
            : { values: {}, flashMessages: {} }
        }
      })
    })
  }
}
