import type { Registry } from '../commands/index.ts'

/** Registers the models commands (filled in by their issue). */
export function registerModelCommands(_registry: Registry): void {}
