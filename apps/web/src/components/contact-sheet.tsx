import { useEffect, useLayoutEffect, useMemo, useRef } from 'react'
import type { GridEngine, GridState } from '../grid/grid-engine.ts'
import { useOutbox, useServices } from '../services.tsx'
import { Tile } from './tile.tsx'

/** Columns for a width: 6 (3 x 6) on a desktop screen, fewer on narrow ones. */
export function columnsFor(width: number): number {
  return width >= 1100 ? 6 : width >= 820 ? 4 : width >= 560 ? 3 : 2
}

/**
 * The grid of 18 tiles [W9]. When a sheet is shown it waits for every thumbnail to be decoded,
 * then for the next frame, and announces `cxr:sheet-painted` (with the time since the page
 * turn began) and `data-painted` (tests and the bench wait on it).
 */
export function ContactSheet({ engine, state }: { engine: GridEngine; state: GridState }) {
  const grid = useRef<HTMLDivElement>(null)
  const { outbox } = useServices()
  const outboxState = useOutbox()
  const sheet = state.sheet
  const key =
    sheet === null
      ? ''
      : `${sheet.kind}:${sheet.audit?.id ?? sheet.dataset.id}:${sheet.finding?.findingId ?? sheet.problem?.kind}:${sheet.page}`

  useLayoutEffect(() => {
    const el = grid.current
    if (el === null) return
    const ro = new ResizeObserver(() => engine.setColumns(columnsFor(el.clientWidth)))
    ro.observe(el)
    engine.setColumns(columnsFor(el.clientWidth))
    return () => ro.disconnect()
  }, [engine])

  useEffect(() => {
    const el = grid.current
    if (el === null || key === '') return
    let live = true
    el.dataset['painted'] = 'false'
    const images = [...el.querySelectorAll('img')]
    void Promise.all(images.map((img) => img.decode().catch(() => undefined))).then(() => {
      requestAnimationFrame(() => {
        if (!live) return
        el.dataset['painted'] = 'true'
        const start = performance.getEntriesByName('cxr-turn-start', 'mark').at(-1)
        const ms = start === undefined ? null : performance.now() - start.startTime
        performance.clearMarks('cxr-turn-start')
        window.dispatchEvent(new CustomEvent('cxr:sheet-painted', { detail: { key, ms } }))
      })
    })
    return () => {
      live = false
    }
  }, [key])

  const pending = useMemo(() => {
    const ids = new Set<number>()
    if (outboxState.pending > 0) for (const p of outbox.pending()) ids.add(p.event.imageId)
    return ids
  }, [outbox, outboxState])

  const blinded = sheet?.audit?.blinded ?? false
  const missing = new Set(state.missing)
  return (
    <div
      className="sheet-grid"
      ref={grid}
      style={{ ['--cols' as string]: state.columns }}
      data-testid="sheet-grid"
      data-sheet={key}
      data-blinded={blinded ? 'true' : 'false'}
    >
      {state.items.map((item, i) => (
        <Tile
          key={`${item.imageId}:${item.findingId ?? 0}`}
          item={item}
          index={i}
          cursor={i === state.cursor}
          missing={missing.has(i)}
          blinded={blinded}
          finding={sheet?.finding?.name ?? null}
          pending={pending.has(item.imageId)}
          onSelect={(n) => engine.focus(n)}
          onOpen={(n) => engine.open(n)}
        />
      ))}
    </div>
  )
}
