import type { ApplicationService } from '@adonisjs/core/types'
import logger from '@adonisjs/core/services/logger'
import { CacheStores } from '#cache/stores'
import { CacheInvalidation } from '#cache/invalidation'
import { PostCache } from '#cache/post_cache'
import { SignedInUsers } from '#services/sessions/signed_in_users'
import { UserDirectory } from '#services/users/user_directory'
import { PublicPages } from '#services/users/public_pages'

/**
 * The app's caches (app/cache/): one set of stores and one invalidation API
 * per process. Web processes (and tests) join the invalidation bus when they
 * start; other processes publish through it without listening, so a command
 * that changes a user still drops the web processes' copies.
 */
export default class AppCacheProvider {
  constructor(protected app: ApplicationService) {}

  /** Web processes and tests hear invalidations; the others keep nothing that could go stale. */
  get #joinsBus() {
    return ['web', 'test'].includes(this.app.getEnvironment())
  }

  register() {
    this.app.container.singleton(CacheStores, () => new CacheStores({ keep: this.#joinsBus }))
    this.app.container.singleton(CacheInvalidation, async (resolver) => {
      const redis = await resolver.make('redis')
      return new CacheInvalidation(
        await resolver.make(CacheStores),
        redis.connection('bus'),
        await resolver.make(PostCache)
      )
    })
    // The read paths in front of the stores, one each per process.
    const { container } = this.app
    container.singleton(SignedInUsers, async (r) => new SignedInUsers(await r.make(CacheStores)))
    container.singleton(UserDirectory, async (r) => new UserDirectory(await r.make(CacheStores)))
    container.singleton(PublicPages, async (r) => new PublicPages(await r.make(CacheStores)))
  }

  async boot() {
    const redis = await this.app.container.make('redis')
    // The post cache's (and the timelines') connection fails a command sent
    // before it is connected (no offline queue): open it now, not on the
    // first read. @adonisjs/cache did this before.
    redis.connection('main')
    if (!this.#joinsBus) return
    // Not awaited: a web process that starts while Redis is away serves from MySQL meanwhile.
    const invalidation = await this.app.container.make(CacheInvalidation)
    invalidation
      .join()
      .catch((error) => logger.error({ err: error }, 'cache invalidation bus not joined'))
  }
}
