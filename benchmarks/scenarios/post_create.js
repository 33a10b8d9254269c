/*
| POST /api/posts (text) with a bearer token, beside a floor that checks
| the token and INSERTs. Fan-out to friends' feeds must stay off the
| request's path.
*/
export default {
  name: 'post creation',
  requires: ['posts'],

  async run(bench) {
    await bench.compare('api_post', 'POST /api/posts (bearer)', {
      kind: 'post',
      tokens: bench.viewers,
      connections: 64,
    })
  },

  targets(results) {
    const row = results.get('api_post')
    return [
      [
        'POST /api/posts ≥ 0.5× its floor',
        `${row.ratioToFloor}×`,
        row.ratioToFloor >= 0.5 && row.errors === 0,
      ],
    ]
  },
}
