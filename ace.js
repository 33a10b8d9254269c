/*
|--------------------------------------------------------------------------
| JavaScript entrypoint for running ace commands
|--------------------------------------------------------------------------
|
| ts-node-maintained compiles TypeScript on the fly in development;
| after `node ace build` the compiled ace.js runs without it.
|
*/
import 'ts-node-maintained/register/esm'

await import('./bin/console.js')
