import type { Registry } from '../commands/index.ts'

/** Registers the images commands (filled in by their issue). */
export function registerImageCommands(_registry: Registry): void {}
