import { useEffect, useMemo, useState } from 'react'
import type { ReaderDto } from './api.ts'
import { OutboxIndicator } from './components/outbox-indicator.tsx'
import type { MarkLedger } from './outbox/ledger.ts'
import type { Outbox } from './outbox/outbox.ts'
import { AuditPage } from './pages/audit-page.tsx'
import { DatasetPage } from './pages/dataset-page.tsx'
import { LearnabilityPage } from './pages/learnability-page.tsx'
import { HomePage } from './pages/home-page.tsx'
import { ModelsPage } from './pages/models-page.tsx'
import { NewAuditPage } from './pages/new-audit-page.tsx'
import { ResultsPage } from './pages/results-page.tsx'
import { SheetPage } from './pages/sheet-page.tsx'
import { href, parseRoute, useHash } from './router.ts'
import { forgetReader, registerReader, storedReader } from './reader.ts'
import { ServicesContext, newEventId, type Services } from './services.tsx'

export function App({ outbox, ledger }: { outbox: Outbox; ledger: MarkLedger }) {
  const [reader, setReader] = useState<ReaderDto | null>(() => storedReader())
  const route = parseRoute(useHash())

  // the server may have been reset: registering the name again gives its current id
  useEffect(() => {
    if (reader === null) return
    registerReader(reader.name)
      .then((fresh) => {
        if (fresh.id !== reader.id) {
          outbox.reassign(reader.id, fresh.id)
          setReader(fresh)
        }
        void outbox.flush()
      })
      .catch(() => undefined)
    // only on the first load: later changes of reader come from the name form
  }, [])

  const services = useMemo<Services>(
    () => ({ outbox, ledger, reader, setReader, newId: newEventId }),
    [outbox, ledger, reader],
  )
  const sheetLike = route.page === 'sheet' || route.page === 'problem'
  return (
    <ServicesContext.Provider value={services}>
      <div className={sheetLike ? 'app app-sheet' : 'app'}>
        {!sheetLike && (
          <header className="topbar">
            <a className="brand" href={href.home()}>
              <span className="brand-mark" aria-hidden="true" />
              cxr-audit
            </a>
            <nav className="topnav">
              <a href={href.home()}>Audits</a>
              <a href={href.newAudit()}>New audit</a>
              <a href={href.models()}>Models</a>
            </nav>
            <div className="topbar-right">
              <OutboxIndicator />
              {reader !== null && (
                <span className="reader" data-testid="reader-name">
                  {reader.name}
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      forgetReader()
                      setReader(null)
                    }}
                  >
                    change
                  </button>
                </span>
              )}
            </div>
          </header>
        )}
        {route.page === 'home' && <HomePage />}
        {route.page === 'new-audit' && <NewAuditPage dataset={route.dataset} />}
        {route.page === 'audit' && <AuditPage id={route.audit} />}
        {route.page === 'results' && <ResultsPage key={route.audit} id={route.audit} />}
        {route.page === 'models' && <ModelsPage key={route.model ?? 0} id={route.model} />}
        {route.page === 'dataset' && <DatasetPage id={route.dataset} />}
        {route.page === 'learnability' && (
          <LearnabilityPage key={route.dataset} id={route.dataset} />
        )}
        {sheetLike && <SheetPage route={route} />}
        {route.page === 'not-found' && (
          <main className="page">
            <h1>Nothing here</h1>
            <p>
              <a href={href.home()}>Back to the audits</a>
            </p>
          </main>
        )}
      </div>
    </ServicesContext.Provider>
  )
}
