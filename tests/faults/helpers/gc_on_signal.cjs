/*
 * Loaded into the app under test (NODE_OPTIONS=--require): a full garbage
 * collection on SIGUSR2. The soak compares memory before and after its run;
 * without this, how much uncollected garbage V8 happened to hold at each
 * measurement moved the result by ±10-35% between runs.
 */
const v8 = require('node:v8')
const vm = require('node:vm')

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc')
process.on('SIGUSR2', () => gc())
