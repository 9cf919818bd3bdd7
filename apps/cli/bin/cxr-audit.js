#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx cxr-audit` works right after `npm ci`.
import { availableParallelism } from 'node:os'
import { register } from 'tsx/esm/api'

// image work runs on libuv's pool: give it room for sharp's renders and the cache's file I/O
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(8, availableParallelism() * 2 + 4))

register()
const { main } = await import('../src/main.ts')
process.exitCode = await main(process.argv.slice(2))
