/** Escapes text for HTML element content and quoted attribute values (also safe inside SVG). */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

export const pct = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined ? '' : `${(x * 100).toFixed(digits)}%`

export const num = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined ? '' : x.toFixed(digits)
