import { UNUSABLE_TAG, WINDOW_PRESET_NAMES, markColour, type WindowPreset } from '@cxr-audit/core'
import { useEffect, useRef, useState, useSyncExternalStore, type RefObject } from 'react'
import { viewUrl, type SheetItemDto } from '../api.ts'
import { ViewerEngine, type ViewerState } from '../viewer/viewer-engine.ts'

export interface ViewerProps {
  readonly item: SheetItemDto
  readonly index: number
  readonly count: number
  readonly finding: string | null
  readonly blinded: boolean
  readonly tags: readonly string[]
  /** Set by the viewer: handles its own keys (i, p, r, b, +, -, 0) and says whether it did. */
  readonly keys: RefObject<((key: string) => boolean) | null>
  readonly onClose: () => void
  /** A preset the reader applied (button or p), for the reading conditions [W35]. */
  readonly onPreset?: (preset: WindowPreset) => void
  readonly onStep: (delta: number) => void
}

const EMPTY: ViewerState = {
  status: 'loading',
  error: null,
  width: 0,
  height: 0,
  window: { center: 127.5, width: 256 },
  preset: 'default',
  invert: false,
  zoom: 1,
  boxes: true,
}

/** The full-resolution viewer over the sheet [W21]; the sheet's verdict keys work here too. */
export function Viewer(p: ViewerProps) {
  const viewport = useRef<HTMLDivElement>(null)
  const stage = useRef<HTMLDivElement>(null)
  const canvas = useRef<HTMLCanvasElement>(null)
  const [engine, setEngine] = useState<ViewerEngine | null>(null)

  useEffect(() => {
    const e = new ViewerEngine(viewport.current!, stage.current!, canvas.current!)
    setEngine(e)
    const onResize = (): void => e.fit()
    window.addEventListener('resize', onResize)
    return () => {
      window.removeEventListener('resize', onResize)
      e.destroy()
    }
  }, [])

  useEffect(() => {
    if (engine !== null && p.item.onDisk) void engine.load(viewUrl(p.item.imageId))
  }, [engine, p.item.imageId, p.item.onDisk])

  const s = useSyncExternalStore(
    engine?.subscribe ?? noopSubscribe,
    engine?.getState ?? (() => EMPTY),
  )

  useEffect(() => {
    p.keys.current = (key: string): boolean => {
      if (engine === null) return false
      switch (key) {
        case 'i':
          engine.toggleInvert()
          return true
        case 'p': {
          const at = s.preset === null ? -1 : WINDOW_PRESET_NAMES.indexOf(s.preset)
          const next = WINDOW_PRESET_NAMES[(at + 1) % WINDOW_PRESET_NAMES.length]!
          engine.applyPreset(next)
          p.onPreset?.(next)
          return true
        }
        case 'r':
          engine.reset()
          return true
        case 'b':
          engine.toggleBoxes()
          return true
        case '+':
        case '=':
          engine.zoomBy(1.25)
          return true
        case '-':
          engine.zoomBy(0.8)
          return true
        case '0':
          engine.fit()
          return true
      }
      return false
    }
    return () => {
      p.keys.current = null
    }
  }, [engine, s.preset, p.keys, p.onPreset])

  const it = p.item
  const labelled = p.blinded ? null : (it.labelled ?? null)
  const colour = it.verdict === null ? 'none' : markColour(it.verdict, labelled)
  const boxes = it.boxes ?? []
  return (
    <div
      className="viewer"
      role="dialog"
      aria-label={`Viewer: ${it.name}`}
      data-testid="viewer"
      data-status={s.status}
      data-window={`${Math.round(s.window.center)}/${Math.round(s.window.width)}`}
      data-preset={s.preset ?? 'custom'}
      data-invert={s.invert ? 'true' : 'false'}
      data-image={it.name}
    >
      <div className="viewer-bar">
        <span className="viewer-title">
          <strong>{it.name}</strong> · {it.age ?? '?'} {it.sex} · {it.view}
          {labelled !== null && p.finding !== null && (
            <span className={labelled === 1 ? 'label-chip positive' : 'label-chip negative'}>
              {labelled === 1 ? '+' : '−'} {p.finding}
            </span>
          )}
          {it.verdict !== null && (
            <span className={`verdict-badge inline ${colour}`} data-testid="viewer-verdict">
              {it.implied ? 'confirmed' : it.verdict}
            </span>
          )}
          {it.tags.map((t) => (
            <span key={t} className={t === UNUSABLE_TAG ? 'unusable-badge inline' : 'tag-badge'}>
              {t}
            </span>
          ))}
        </span>
        <span className="viewer-controls">
          {WINDOW_PRESET_NAMES.map((name) => (
            <button
              key={name}
              type="button"
              className={s.preset === name ? 'chip active' : 'chip'}
              onClick={() => {
                engine?.applyPreset(name)
                p.onPreset?.(name)
              }}
            >
              {name}
            </button>
          ))}
          <button
            type="button"
            className={s.invert ? 'chip active' : 'chip'}
            onClick={() => engine?.toggleInvert()}
          >
            invert (i)
          </button>
          {boxes.length > 0 && (
            <button
              type="button"
              className={s.boxes ? 'chip active' : 'chip'}
              onClick={() => engine?.toggleBoxes()}
            >
              boxes (b)
            </button>
          )}
          <button type="button" className="chip" onClick={() => engine?.reset()}>
            reset (r)
          </button>
          <span className="viewer-readout" data-testid="window-readout">
            W {Math.round(s.window.width)} · L {Math.round(s.window.center)} ·{' '}
            {Math.round(s.zoom * 100)}%
          </span>
          <span className="viewer-count">
            {p.index + 1} / {p.count}
          </span>
          <button
            type="button"
            className="chip"
            onClick={() => p.onStep(-1)}
            aria-label="previous image"
          >
            ◀
          </button>
          <button
            type="button"
            className="chip"
            onClick={() => p.onStep(1)}
            aria-label="next image"
          >
            ▶
          </button>
          <button
            type="button"
            className="chip close"
            onClick={p.onClose}
            aria-label="close the viewer"
          >
            ✕
          </button>
        </span>
      </div>
      <div className="viewer-viewport" ref={viewport} data-testid="viewer-viewport">
        <div className="viewer-stage" ref={stage}>
          <canvas ref={canvas} />
          {s.boxes && boxes.length > 0 && s.width > 0 && (
            <svg className="viewer-boxes" viewBox={`0 0 ${s.width} ${s.height}`} aria-hidden="true">
              {boxes.map((b, i) => (
                <g key={i} className={b.finding === p.finding ? 'box current' : 'box'}>
                  <rect
                    x={b.x}
                    y={b.y}
                    width={b.w}
                    height={b.h}
                    vectorEffect="non-scaling-stroke"
                  />
                  <text x={b.x + 4} y={Math.max(14, b.y - 6)}>
                    {b.finding}
                  </text>
                </g>
              ))}
            </svg>
          )}
        </div>
        {s.status === 'loading' && <div className="viewer-note">Loading full resolution…</div>}
        {(s.status === 'error' || !it.onDisk) && (
          <div className="viewer-note error" data-testid="viewer-error">
            {it.onDisk ? `Unreadable image: ${s.error ?? ''}` : 'This image is not on disk.'} Press
            u to mark it unusable.
          </div>
        )}
      </div>
      <div className="viewer-help">
        drag: pan · right-drag or shift-drag: window/level · wheel: zoom · p: next preset · i:
        invert · x / d / c: verdict · 1-9: tags · ← →: previous / next · Esc: back to the sheet
      </div>
    </div>
  )
}

const noopSubscribe = (): (() => void) => () => undefined
