import { configApp } from '@adonisjs/eslint-config'

export default configApp(
  {
    ignores: ['build/**', 'tmp/**', 'storage/**', 'benchmarks/results/**'],
  },
  {
    // `(await client.get(...)).assertStatus(200)` reads best in tests.
    files: ['tests/**/*.ts'],
    rules: { '@unicorn/no-await-expression-member': 'off' },
  }
)
