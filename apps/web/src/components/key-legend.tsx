import { UNUSABLE_TAG } from '@cxr-audit/core'
import type { GridEngine, GridState } from '../grid/grid-engine.ts'

/** The keys and the tag palette; every key has a button (the mouse does the same) [W14]. */
export function KeyLegend({ engine, state }: { engine: GridEngine; state: GridState }) {
  const sheet = state.sheet
  if (sheet === null) return null
  const item = state.items[state.viewer ?? state.cursor]
  const at = state.viewer ?? state.cursor
  const blinded = sheet.audit?.blinded ?? false
  const verdicts = sheet.kind === 'audit'
  return (
    <aside className="legend" aria-label="keys and tags">
      {verdicts && (
        <div className="legend-group">
          <button type="button" className="key-button red" onClick={() => engine.mark(at, 'x')}>
            <kbd>x</kbd> {blinded ? 'absent' : 'label wrong'}
          </button>
          <button type="button" className="key-button orange" onClick={() => engine.mark(at, 'd')}>
            <kbd>d</kbd> doubtful
          </button>
          <button type="button" className="key-button green" onClick={() => engine.mark(at, 'c')}>
            <kbd>c</kbd> {blinded ? 'present' : 'confirm'}
          </button>
        </div>
      )}
      <div className="legend-group tags" data-testid="tag-palette">
        {sheet.tags.map((t, i) => (
          <button
            key={t}
            type="button"
            className={item?.tags.includes(t) ? 'tag-button on' : 'tag-button'}
            onClick={() => engine.toggleTag(at, i)}
          >
            <kbd>{i + 1}</kbd> {t}
          </button>
        ))}
        <button
          type="button"
          className={item?.tags.includes(UNUSABLE_TAG) ? 'tag-button on' : 'tag-button'}
          onClick={() => engine.toggleTagName(at, UNUSABLE_TAG)}
        >
          <kbd>u</kbd> image unusable
        </button>
      </div>
      <div className="legend-group quiet">
        <span>
          <kbd>←↑↓→</kbd>/<kbd>hjkl</kbd> move
        </span>
        <span>
          <kbd>Enter</kbd> viewer
        </span>
        <span>
          <kbd>z</kbd> undo
        </span>
        <span>
          <kbd>PgDn</kbd>{' '}
          {verdicts && !blinded ? 'finish page (unmarked = confirmed)' : 'next page'}
        </span>
        <button type="button" className="link-button" onClick={() => engine.run({ kind: 'help' })}>
          <kbd>?</kbd> help
        </button>
      </div>
    </aside>
  )
}
