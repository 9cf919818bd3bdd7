#!/usr/bin/env node
// `npm start`: builds the web app when stale, imports the demo dataset (examples/) into
// .cxr-audit/demo.sqlite, draws the demo audit once, and serves the workbench on 127.0.0.1
// (port $PORT, default 8417). Runs the compiled apps/cli/dist/start-demo.js that `npm ci` built,
// or the TypeScript sources through tsx when that build is missing or stale, like the CLI.
import { availableParallelism } from 'node:os'
import { loadEntry } from '../apps/cli/bin/load-entry.js'

// the server renders images on libuv's pool, as the CLI does (apps/cli/bin/cxr-audit.js)
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(8, availableParallelism() * 2 + 4))

const { runDemo } = await loadEntry(
  'start-demo',
  new URL('../apps/server/src/start-demo.ts', import.meta.url),
)
process.exitCode = await runDemo(new URL('..', import.meta.url))
