/**
 * @cxr-audit/contract: the JSON the workbench server answers and its web app reads, as types
 * only (no runtime code, so the web bundle can import it; lint keeps it so). The server and the
 * web app both import from here. Rules cited as [Wn] are in docs/SPEC-workbench.md.
 */
export type * from './workbench.ts'
export type * from './results.ts'
export type * from './models.ts'
export type * from './pacs.ts'
export type * from './accounts.ts'
export type * from './learn.ts'
export type * from './jobs.ts'
export type * from './reading.ts'
