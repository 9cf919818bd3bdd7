import type { Registry } from '../commands/index.ts'

/** Registers the audit commands (filled in by their issue). */
export function registerAuditCommands(_registry: Registry): void {}
