#!/usr/bin/env node
// `npm start`: builds the web app when stale, imports the demo dataset (examples/) into
// .cxr-audit/demo.sqlite, draws the demo audit once, and serves the workbench on 127.0.0.1
// (port $PORT, default 8417). The TypeScript sources run through tsx, like the CLI.
import { register } from 'tsx/esm/api'

register()
const { runDemo } = await import('../apps/server/src/start-demo.ts')
process.exitCode = await runDemo(new URL('..', import.meta.url))
