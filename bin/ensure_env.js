/*
|--------------------------------------------------------------------------
| First-run helper
|--------------------------------------------------------------------------
|
| Creates .env from .env.example with a fresh APP_KEY when it is missing,
| so `npm run dev` works on a new clone. An existing .env is left alone.
|
*/
import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'

const envFile = new URL('../.env', import.meta.url)
const exampleFile = new URL('../.env.example', import.meta.url)

if (!existsSync(envFile)) {
  copyFileSync(exampleFile, envFile)
  const key = randomBytes(24).toString('base64url')
  writeFileSync(envFile, readFileSync(envFile, 'utf8').replace(/^APP_KEY=.*$/m, `APP_KEY=${key}`))
  console.log('Created .env from .env.example with a new APP_KEY')
}
