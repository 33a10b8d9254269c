/*
| Sign-outs across replicas: a bearer token revoked on app A must answer
| 401 on A at once and on app B within a second; a session cookie copied
| before sign-out on A must sign no one in on B within a second. B has the
| token or the session in its caches before each sign-out.
*/
import { percentile, round } from '../lib/results.js'
import { sleep } from '../lib/processes.js'
import { csrfToken } from '../lib/stack.js'

const LIMIT_MS = 1000

async function status(url, headers) {
  const response = await fetch(url, { headers, redirect: 'manual' })
  return { status: response.status, text: await response.text() }
}

/** Milliseconds until `check` holds (polled every 5 ms), or null after 2 s. */
async function until(check) {
  const started = performance.now()
  while (performance.now() - started < 2000) {
    if (await check()) return performance.now() - started
    await sleep(5)
  }
  return null
}

export default {
  name: 'revocation',

  async run(bench) {
    const { stack, results, settings } = bench
    const [a, b] = [stack.appA.url, stack.appB.url]
    const rounds = settings.smoke ? 3 : 20

    const tokenTimes = []
    let tokenFailures = 0
    for (const [userId, token] of bench.revocableTokens.slice(0, rounds)) {
      const auth = { authorization: `Bearer ${token}` }
      if ((await status(`${b}/api/me`, auth)).status !== 200)
        throw new Error(`token of user${userId} refused before sign-out`)
      await fetch(`${a}/api/auth/logout`, { method: 'POST', headers: auth })
      if ((await status(`${a}/api/me`, auth)).status !== 401) tokenFailures++
      const elapsed = await until(async () => (await status(`${b}/api/me`, auth)).status === 401)
      if (elapsed === null || elapsed > LIMIT_MS) tokenFailures++
      else tokenTimes.push(elapsed)
    }

    // Sessions: only a server-side store can end one everywhere.
    const sessionTimes = []
    let sessionFailures = 0
    const sessionChecked = stack.sessionDriver !== 'cookie'
    if (sessionChecked) {
      for (const [userId, cookie] of await stack.sessionCookies(
        bench.revocableSessions.slice(0, rounds)
      )) {
        const page = `${b}/users/${userId}`
        const signedIn = (html) => html.includes(`user${userId}@bench.test`)
        if (!signedIn((await status(page, { cookie })).text))
          throw new Error(`session of user${userId} not signed in on B`)
        const form = await status(`${a}/users/${userId}`, { cookie })
        const csrf = csrfToken(form.text)
        await fetch(`${a}/logout`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf }),
        })
        const elapsed = await until(async () => !signedIn((await status(page, { cookie })).text))
        if (elapsed === null || elapsed > LIMIT_MS) sessionFailures++
        else sessionTimes.push(elapsed)
      }
    }
    tokenTimes.sort((x, y) => x - y)
    sessionTimes.sort((x, y) => x - y)
    results.push({
      name: 'revocation',
      label: 'sign-out on A → refused on B',
      tokens: rounds,
      tokenFailures,
      tokenP99: round(percentile(tokenTimes, 99)),
      sessionChecked,
      sessionFailures,
      sessionP99: round(percentile(sessionTimes, 99)),
      errors: 0,
      stale: tokenFailures + sessionFailures,
    })
    bench.log(
      `revocation: tokens ${tokenFailures} late of ${rounds} (p99 ${round(percentile(tokenTimes, 99))} ms); sessions ${sessionChecked ? `${sessionFailures} late (p99 ${round(percentile(sessionTimes, 99))} ms)` : 'not checked (cookie store)'}`
    )
  },

  targets(results) {
    const row = results.get('revocation')
    return [
      [
        'Revoked token refused on the same replica at once and on another within 1 s',
        `${row.tokenFailures} late of ${row.tokens}, p99 ${row.tokenP99} ms`,
        row.tokenFailures === 0,
      ],
      [
        'Ended session refused on another replica within 1 s',
        row.sessionChecked
          ? `${row.sessionFailures} late, p99 ${row.sessionP99} ms`
          : 'not checked: sessions in signed cookies',
        row.sessionChecked && row.sessionFailures === 0,
      ],
    ]
  },
}
