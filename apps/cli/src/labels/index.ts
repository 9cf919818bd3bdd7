import type { Registry } from '../commands/index.ts'

/** Registers the labels commands (filled in by their issue). */
export function registerLabelCommands(_registry: Registry): void {}
