/** Why apps/cli/dist is not up to date with its sources, or null when it is (load-entry.js). */
export function staleness(dist?: URL, root?: string): string | null
/** Imports entry `name` of apps/cli/dist, or `source` through tsx when that build is stale. */
export function loadEntry(name: string, source: URL): Promise<Record<string, unknown>>
