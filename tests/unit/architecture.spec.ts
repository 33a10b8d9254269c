import { test } from '@japa/runner'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import app from '@adonisjs/core/services/app'
import ts from 'typescript'

/** The paths of app/'s sources, from the project root. */
async function appFiles() {
  return (await readdir(app.makePath('app'), { recursive: true }))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `app/${file}`)
}

/**
 * What a service shared by module state looks like: an exported instance
 * (`export const x = new X()`, `export default new X()`), an exported
 * object literal with methods, or a class of static methods only.
 */
function moduleServices(file: string, source: string) {
  const found: string[] = []
  const unwrap = (node: ts.Expression): ts.Expression =>
    ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node)
      ? unwrap(node.expression)
      : node
  const isService = (node: ts.Expression) => {
    const value = unwrap(node)
    return (
      ts.isNewExpression(value) ||
      (ts.isObjectLiteralExpression(value) && value.properties.some(ts.isMethodDeclaration))
    )
  }
  const isStatic = (member: ts.ClassElement) =>
    ts.canHaveModifiers(member) &&
    (ts.getModifiers(member) ?? []).some(
      (modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword
    )

  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest)
  for (const statement of sourceFile.statements) {
    if (
      ts.isVariableStatement(statement) &&
      statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
    ) {
      for (const declaration of statement.declarationList.declarations) {
        if (declaration.initializer && isService(declaration.initializer)) {
          found.push(`${file}: ${declaration.name.getText(sourceFile)}`)
        }
      }
    }
    if (ts.isExportAssignment(statement) && isService(statement.expression)) {
      found.push(`${file}: export default`)
    }
    if (
      ts.isClassDeclaration(statement) &&
      statement.members.some((member) => ts.isMethodDeclaration(member) && isStatic(member)) &&
      statement.members.every(isStatic)
    ) {
      found.push(`${file}: class ${statement.name?.text} (static only)`)
    }
  }
  return found
}

/** The files of app/ and, for each, the files of app/ it imports at runtime. */
async function importGraph() {
  const root = app.makePath()
  const aliases: Record<string, string> = JSON.parse(
    await readFile(join(root, 'package.json'), 'utf8')
  ).imports
  const files = await appFiles()

  const graph = new Map<string, string[]>()
  for (const file of files) {
    const source = await readFile(join(root, file), 'utf8')
    // Type-only imports vanish at runtime; dynamic imports count.
    const specifiers = [
      ...source.matchAll(/^import\s+(?!type\s)[^'"]*?from\s+'(#[^']+)'/gm),
      ...source.matchAll(/^import\s+'(#[^']+)'/gm),
      ...source.matchAll(/import\(\s*'(#[^']+)'\s*\)/g),
    ].map((match) => match[1])
    const targets = specifiers.map((specifier) => {
      const [prefix, rest] = [specifier.split('/')[0], specifier.split('/').slice(1).join('/')]
      const target = aliases[`${prefix}/*`].replace('./', '').replace('*', rest)
      return relative(root, join(root, target)).replace(/\.js$/, '.ts')
    })
    graph.set(
      file,
      targets.filter((target) => target.startsWith('app/'))
    )
  }
  return graph
}

/**
 * The arrows of ../shared/DESIGN.md, checked on the sources: a forbidden
 * import or an import cycle fails here, not in review.
 */
test.group('Architecture', () => {
  test('models import no services or controllers; rpc never imports jobs', async ({ assert }) => {
    const graph = await importGraph()
    const forbidden: string[] = []
    for (const [file, targets] of graph) {
      for (const target of targets) {
        const arrow = `${file} → ${target}`
        if (file.startsWith('app/models/') && /^app\/(services|controllers)\//.test(target)) {
          forbidden.push(arrow)
        }
        if (file.startsWith('app/rpc/') && target.startsWith('app/jobs/')) forbidden.push(arrow)
        if (!file.startsWith('app/controllers/') && target.startsWith('app/controllers/')) {
          forbidden.push(arrow)
        }
      }
    }
    assert.deepEqual(forbidden, [])
  })

  test('no import cycle among the files of app/', async ({ assert }) => {
    const graph = await importGraph()
    const cycles: string[] = []
    const state = new Map<string, 'visiting' | 'done'>()
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '))
        return
      }
      state.set(file, 'visiting')
      for (const target of graph.get(file) ?? []) visit(target, [...path, file])
      state.set(file, 'done')
    }
    for (const file of graph.keys()) visit(file, [])
    assert.deepEqual(cycles, [])
  })

  test('no raw SQL write runs on a client that may be a read replica', async ({ assert }) => {
    // Lucid sends raw SQL outside a transaction to the read client: raw
    // writes go through primary() (app/helpers/primary.ts) or a transaction.
    const onDualClient =
      /\bdb(?:\.connection\(\))?\s*\.\s*(?:rawQuery|knexRawQuery)\(\s*[`'"]\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b/gi
    const offenders: string[] = []
    for (const file of await appFiles()) {
      const source = await readFile(app.makePath(file), 'utf8')
      for (const match of source.matchAll(onDualClient)) offenders.push(`${file}: ${match[0]}`)
    }
    assert.deepEqual(offenders, [])
  })

  test('no module-level service singletons or static-only classes: services come from the container', async ({
    assert,
  }) => {
    // Providers bind the shared ones (providers/); the rest are built by
    // @inject, so a test swaps any of them with app.container.swap.
    const found: string[] = []
    for (const file of await appFiles()) {
      found.push(...moduleServices(file, await readFile(app.makePath(file), 'utf8')))
    }
    assert.deepEqual(found, [])
  })

  test('the service-singleton check sees each shape it forbids', ({ assert }) => {
    const source = `
      export const a = new Things()
      export const b = { async run() {} }
      export class C { static async go() {} }
      export default new Things() as Things
      export const LIMITS = { perUser: 5 }
      export const routes = { load: () => import('x') }
      export class Model { static table = 't'; declare id: number; static async find() {} }`
    assert.deepEqual(moduleServices('x.ts', source), [
      'x.ts: a',
      'x.ts: b',
      'x.ts: class C (static only)',
      'x.ts: export default',
    ])
  })

  test('no setInterval in app/: periodic work is a BullMQ job scheduler (app/jobs/schedules.ts)', async ({
    assert,
  }) => {
    const offenders: string[] = []
    for (const file of await appFiles()) {
      const source = await readFile(app.makePath(file), 'utf8')
      if (/\bsetInterval\b/.test(source)) offenders.push(file)
    }
    assert.deepEqual(offenders, [])
  })

  test('only app/cache/ touches a cache library or keeps data in Redis for reads', async ({
    assert,
  }) => {
    const root = app.makePath()
    const files = (await readdir(join(root, 'app'), { recursive: true }))
      .filter((file) => file.endsWith('.ts') && !file.startsWith('cache/'))
      .map((file) => `app/${file}`)
    const cacheLibrary = /from\s+'(?:lru-cache|bentocache|@adonisjs\/cache)[^']*'/
    // Redis outside app/cache/ holds no copy of what MySQL holds: streams,
    // who is online, read stickiness and the feed's timelines. Timelines are domain storage,
    // not a cache: a materialized read model that fan-out jobs write and the
    // feed reconciles against the friendships in SQL; no invalidation fact
    // drops them, and losing them costs a rebuild (feeds:rebuild), not a
    // stale answer.
    const redisUsers = new Set([
      'app/services/notifications/live_streams.ts',
      'app/services/notifications/presence.ts',
      'app/services/notifications/notification_stream.ts',
      'app/services/database/read_routing.ts',
      'app/services/posts/timeline_store.ts',
    ])
    const offenders: string[] = []
    for (const file of files) {
      const source = await readFile(join(root, file), 'utf8')
      if (cacheLibrary.test(source)) offenders.push(`${file}: imports a cache library`)
      if (source.includes("'@adonisjs/redis/services/main'") && !redisUsers.has(file)) {
        offenders.push(`${file}: uses Redis outside app/cache/`)
      }
    }
    assert.deepEqual(offenders, [])
  })

  test('access tokens are deleted only where the invalidation is sent', async ({ assert }) => {
    const root = app.makePath()
    const files = (await readdir(join(root, 'app'), { recursive: true })).filter((file) =>
      file.endsWith('.ts')
    )
    // AccountsService sends CacheInvalidation.tokens (a sign-out goes through
    // the tokens provider, which sends .token); sign-in deletes only the
    // token it has just made, before anyone could use it.
    const allowed = new Set([
      'services/accounts/accounts_service.ts',
      'services/sessions/sign_in.ts',
    ])
    const offenders: string[] = []
    for (const file of files) {
      const source = await readFile(join(root, 'app', file), 'utf8')
      const deletes = /auth_access_tokens|accessTokens\.delete/.test(source)
      if (deletes && !allowed.has(file) && !file.startsWith('cache/')) offenders.push(file)
    }
    assert.deepEqual(offenders, [])
  })
})
