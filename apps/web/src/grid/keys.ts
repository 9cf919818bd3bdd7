/** What a key does on a contact sheet or in the viewer (docs/workbench.md lists them). */
export type GridCommand =
  | { readonly kind: 'move'; readonly direction: 'left' | 'right' | 'up' | 'down' }
  | { readonly kind: 'mark'; readonly key: 'x' | 'd' | 'c' }
  | { readonly kind: 'tag'; readonly index: number }
  | { readonly kind: 'unusable' }
  | { readonly kind: 'undo' }
  | { readonly kind: 'open' }
  | { readonly kind: 'close' }
  | { readonly kind: 'next-page' }
  | { readonly kind: 'previous-page' }
  | { readonly kind: 'help' }

export interface KeyInput {
  readonly key: string
  readonly ctrlKey: boolean
  readonly metaKey: boolean
  readonly altKey: boolean
}

/** Keyboard first [W14]: arrows or h/j/k/l, x/d/c/space, 1-9, u, z, Enter, PageDown/PageUp. */
export function commandForKey(e: KeyInput): GridCommand | null {
  if (e.altKey) return null
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') return { kind: 'undo' }
  if (e.ctrlKey || e.metaKey) return null
  switch (e.key) {
    case 'ArrowLeft':
    case 'h':
      return { kind: 'move', direction: 'left' }
    case 'ArrowRight':
    case 'l':
      return { kind: 'move', direction: 'right' }
    case 'ArrowUp':
    case 'k':
      return { kind: 'move', direction: 'up' }
    case 'ArrowDown':
    case 'j':
      return { kind: 'move', direction: 'down' }
    case 'x':
    case 'X':
      return { kind: 'mark', key: 'x' }
    case 'd':
    case 'D':
      return { kind: 'mark', key: 'd' }
    case 'c':
    case 'C':
    case ' ':
      return { kind: 'mark', key: 'c' }
    case 'u':
    case 'U':
      return { kind: 'unusable' }
    case 'z':
    case 'Z':
      return { kind: 'undo' }
    case 'Enter':
      return { kind: 'open' }
    case 'Escape':
      return { kind: 'close' }
    case 'PageDown':
      return { kind: 'next-page' }
    case 'PageUp':
      return { kind: 'previous-page' }
    case '?':
      return { kind: 'help' }
  }
  if (/^[1-9]$/.test(e.key)) return { kind: 'tag', index: Number(e.key) - 1 }
  return null
}
