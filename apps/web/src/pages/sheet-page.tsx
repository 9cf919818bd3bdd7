import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { api, thumbnailUrl, type ReaderDto, type SheetDto, type SheetRefDto } from '../api.ts'
import { ContactSheet } from '../components/contact-sheet.tsx'
import { HelpOverlay } from '../components/help-overlay.tsx'
import { KeyLegend } from '../components/key-legend.tsx'
import { OutboxIndicator } from '../components/outbox-indicator.tsx'
import { ReaderForm } from '../components/reader-form.tsx'
import { Viewer } from '../components/viewer.tsx'
import { GridEngine } from '../grid/grid-engine.ts'
import { go, href, type Route } from '../router.ts'
import { useServices } from '../services.tsx'

type SheetRoute = Extract<Route, { page: 'sheet' } | { page: 'problem' }>

const keyOf = (r: SheetRoute): string =>
  r.page === 'sheet'
    ? `a:${r.audit}:${r.finding}:${r.index}`
    : `p:${r.dataset}:${r.kind}:${r.index}`

function routeAt(r: SheetRoute, ref: SheetRefDto): SheetRoute {
  return r.page === 'sheet'
    ? { ...r, finding: ref.findingId, index: ref.page }
    : { ...r, index: ref.page }
}

function fetchSheet(r: SheetRoute, reader: number): Promise<SheetDto> {
  return r.page === 'sheet'
    ? api.sheet(r.audit, r.finding, r.index, reader)
    : api.problemSheet(r.dataset, r.kind, r.index, reader)
}

export function SheetPage({ route }: { route: SheetRoute }) {
  const { reader, setReader } = useServices()
  if (reader === null)
    return (
      <main className="page narrow">
        <h1>Who is reading?</h1>
        <p className="muted">Your name goes with every mark you make. You give it once.</p>
        <ReaderForm onReader={setReader} submitLabel="Start reviewing" />
      </main>
    )
  return <SheetView route={route} reader={reader} />
}

function SheetView({ route, reader }: { route: SheetRoute; reader: ReaderDto }) {
  const services = useServices()
  const cache = useRef(new Map<string, Promise<SheetDto>>())
  const warm = useRef<HTMLImageElement[]>([])
  const routeRef = useRef(route)
  routeRef.current = route
  const direction = useRef<'next' | 'previous' | null>(null)
  const viewerKeys = useRef<((key: string) => boolean) | null>(null)
  const [error, setError] = useState<string | null>(null)

  const engine = useMemo(
    () =>
      new GridEngine({
        reader,
        outbox: services.outbox,
        ledger: services.ledger,
        newId: services.newId,
        navigate(ref, dir) {
          const r = routeRef.current
          if (ref === null) {
            if (dir === 'next')
              go(r.page === 'sheet' ? href.audit(r.audit, true) : href.dataset(r.dataset))
            return
          }
          performance.mark('cxr-turn-start')
          direction.current = dir
          const next = routeAt(r, ref)
          go(
            next.page === 'sheet'
              ? href.sheet(next.audit, next.finding, next.index)
              : href.problem(next.dataset, next.kind, next.index),
          )
        },
      }),
    [reader, services],
  )
  const state = useSyncExternalStore(engine.subscribe, engine.getState)

  // load the sheet of the route (prefetched when paging forward), then prefetch the next one
  const key = keyOf(route)
  useEffect(() => {
    let live = true
    const known = cache.current.get(key)
    cache.current.delete(key)
    const load = known ?? fetchSheet(route, reader.id)
    load
      .then((sheet) => {
        if (!live) return
        setError(null)
        performance.mark('cxr-sheet-data')
        engine.load(sheet, direction.current === 'previous' ? 'last' : 'first')
        if (sheet.kind === 'audit' && sheet.audit != null && sheet.finding != null)
          services.readingLog.add(reader.id, {
            kind: 'sheet',
            clientEventId: services.newId(),
            auditId: sheet.audit.id,
            findingId: sheet.finding.findingId,
            page: sheet.page,
          })
        direction.current = null
        if (sheet.next !== null) {
          const nextRoute = routeAt(route, sheet.next)
          const nextKey = keyOf(nextRoute)
          if (!cache.current.has(nextKey)) {
            const p = fetchSheet(nextRoute, reader.id)
            cache.current.set(nextKey, p)
            p.then(async (s) => {
              // keep decoded thumbnails of the next sheet warm [W22]
              warm.current = s.items
                .filter((it) => it.onDisk)
                .map((it) => {
                  const img = new Image()
                  img.src = thumbnailUrl(it.imageId)
                  return img
                })
              await Promise.all(warm.current.map((img) => img.decode().catch(() => undefined)))
              document.documentElement.dataset['prefetched'] = nextKey
            }).catch(() => cache.current.delete(nextKey))
          }
        }
      })
      .catch((e: unknown) => {
        if (live) setError(e instanceof Error ? e.message : String(e))
      })
    return () => {
      live = false
    }
    // the route object changes identity on every render; its key says when it really changed
    // (engine and reader are stable for the life of this view)
  }, [key, engine, reader.id, services])

  // a film opened in (or stepped to in) the full-resolution viewer [W35]
  const opened = state.viewer === null ? null : (state.items[state.viewer]?.imageId ?? null)
  const auditId = state.sheet?.kind === 'audit' ? (state.sheet.audit?.id ?? null) : null
  useEffect(() => {
    if (opened === null || auditId === null) return
    services.readingLog.add(reader.id, {
      kind: 'viewer',
      clientEventId: services.newId(),
      auditId,
      imageId: opened,
    })
  }, [opened, auditId, reader.id, services])

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target as HTMLElement | null
      if (
        t !== null &&
        (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')
      )
        return
      if (
        engine.getState().viewer !== null &&
        !e.ctrlKey &&
        !e.metaKey &&
        viewerKeys.current?.(e.key)
      ) {
        e.preventDefault()
        return
      }
      if (engine.key(e)) e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [engine])

  const sheet = state.sheet
  const viewerItem = state.viewer === null ? undefined : state.items[state.viewer]
  const first = sheet === null ? 0 : sheet.page * sheet.pageSize + 1
  const last = sheet === null ? 0 : first + sheet.items.length - 1
  return (
    <div
      className="sheet-page"
      data-testid="sheet-page"
      data-state={sheet === null ? 'loading' : 'ready'}
    >
      <header className="sheet-bar">
        <a
          className="back"
          href={route.page === 'sheet' ? href.audit(route.audit) : href.dataset(route.dataset)}
        >
          ‹ {sheet?.audit?.name ?? sheet?.dataset.name ?? 'Back'}
        </a>
        <h1 className="sheet-title">
          {sheet?.finding?.name ?? sheet?.problem?.kind ?? '…'}
          {sheet?.audit?.blinded === true && <span className="blinded-badge">blinded</span>}
        </h1>
        {sheet !== null && (
          <span className="sheet-pos" data-testid="sheet-position">
            sheet {sheet.page + 1} of {sheet.pages} · images {first}–{last} of {sheet.total}
          </span>
        )}
        <span className="sheet-nav">
          <button
            type="button"
            className="chip"
            disabled={sheet?.previous == null}
            onClick={() => engine.run({ kind: 'previous-page' })}
          >
            ◀ PgUp
          </button>
          <button
            type="button"
            className="chip primary"
            onClick={() => engine.nextPage()}
            data-testid="finish-page"
          >
            {sheet?.kind === 'audit' ? 'Finish page' : 'Next'} ▶ PgDn
          </button>
        </span>
        <span className="sheet-right">
          <OutboxIndicator />
          <span className="reader">{reader.name}</span>
        </span>
      </header>
      {sheet?.problem != null && <p className="problem-note">{sheet.problem.description}</p>}
      {error !== null && (
        <p className="error-line" role="alert">
          Cannot load this sheet: {error}
        </p>
      )}
      <div className="message-line" role="status" data-testid="message">
        {state.message ?? ''}
      </div>
      <main className="sheet-main">
        <ContactSheet engine={engine} state={state} />
      </main>
      <KeyLegend engine={engine} state={state} />
      {viewerItem !== undefined && sheet !== null && (
        <Viewer
          item={viewerItem}
          index={state.viewer!}
          count={state.items.length}
          finding={sheet.finding?.name ?? null}
          blinded={sheet.audit?.blinded ?? false}
          tags={sheet.tags}
          keys={viewerKeys}
          onPreset={(preset) => {
            if (auditId !== null)
              services.readingLog.add(reader.id, {
                kind: 'preset',
                clientEventId: services.newId(),
                auditId,
                imageId: viewerItem.imageId,
                preset,
              })
          }}
          onClose={() => engine.close()}
          onStep={(d) => engine.run({ kind: 'move', direction: d < 0 ? 'left' : 'right' })}
        />
      )}
      {state.help && (
        <HelpOverlay
          blinded={sheet?.audit?.blinded ?? false}
          onClose={() => engine.run({ kind: 'help' })}
        />
      )}
    </div>
  )
}
