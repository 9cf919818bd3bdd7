#!/usr/bin/env node
// The `cxr-audit` command: runs the compiled CLI (apps/cli/dist, built by `npm ci`), or the
// TypeScript sources through tsx when the build is missing or older than them.
import { availableParallelism } from 'node:os'
import { loadEntry } from './load-entry.js'

// image work runs on libuv's pool: give it room for sharp's renders and the cache's file I/O
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(8, availableParallelism() * 2 + 4))

const { main } = await loadEntry('main', new URL('../src/main.ts', import.meta.url))
process.exitCode = await main(process.argv.slice(2))
