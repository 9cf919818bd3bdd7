// The one store function every command's start needs, behind a module of its own: a dynamic
// import of the whole '@cxr-audit/store' made every command load every store module (and the
// core chunk they use, 1.4 MB of JavaScript); a named import keeps only what opening needs.
export { openStore } from '@cxr-audit/store'
