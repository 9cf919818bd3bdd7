import { useEffect, useMemo, useState } from 'react'
import { loadAccount, logOut, type Account } from './account.ts'
import { api, type ReaderDto } from './api.ts'
import { ReadingLog } from './reading-log.ts'
import { AdminPage } from './pages/admin-page.tsx'
import { LoginPage } from './pages/login-page.tsx'
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

/** Accounts mode or not, logged in or not: asked once, then the app proper. */
export function App({ outbox, ledger }: { outbox: Outbox; ledger: MarkLedger }) {
  const [account, setAccount] = useState<Account | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  useEffect(() => {
    loadAccount()
      .then(setAccount)
      .catch((e: unknown) => setFailure(e instanceof Error ? e.message : String(e)))
    const expired = (): void => setAccount((a) => (a?.mode === 'user' ? { mode: 'login' } : a))
    window.addEventListener('cxr:unauthenticated', expired)
    return () => window.removeEventListener('cxr:unauthenticated', expired)
  }, [])
  if (failure !== null)
    return (
      <main className="page">
        <p className="error-line">Cannot reach the server: {failure}</p>
      </main>
    )
  if (account === null) return <main className="page" data-state="loading" />
  if (account.mode === 'login')
    return (
      <LoginPage
        onAccount={(a) => {
          setAccount(a)
          // marks left while logged out go now
          outbox.retryNow()
        }}
      />
    )
  return (
    <Workbench
      key={account.mode === 'user' ? account.user.id : 0}
      outbox={outbox}
      ledger={ledger}
      account={account}
      onLogout={() => {
        void logOut().finally(() => setAccount({ mode: 'login' }))
      }}
    />
  )
}

function Workbench({
  outbox,
  ledger,
  account,
  onLogout,
}: {
  outbox: Outbox
  ledger: MarkLedger
  account: Account
  onLogout: () => void
}) {
  const user = account.mode === 'user' ? account.user : null
  const [reader, setReader] = useState<ReaderDto | null>(() =>
    user !== null ? { id: user.id, name: user.name } : storedReader(),
  )
  const route = parseRoute(useHash())

  // the server may have been reset: registering the name again gives its current id
  useEffect(() => {
    if (reader === null || user !== null) return
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

  const readingLog = useMemo(() => new ReadingLog(api.sendReadingEvents), [])
  const services = useMemo<Services>(
    () => ({ outbox, ledger, readingLog, reader, setReader, newId: newEventId, account }),
    [outbox, ledger, readingLog, reader, account],
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
              {(user === null || user.role === 'admin') && <a href={href.newAudit()}>New audit</a>}
              {(user === null || user.role !== 'reader') && <a href={href.models()}>Models</a>}
              {user?.role === 'admin' && (
                <a href={href.admin()} data-testid="admin-link">
                  Admin
                </a>
              )}
            </nav>
            <div className="topbar-right">
              <OutboxIndicator />
              {user !== null && (
                <span className="reader" data-testid="user-name" data-role={user.role}>
                  {user.name} <span className="muted">({user.role})</span>
                  <button
                    type="button"
                    className="link-button"
                    data-testid="logout"
                    onClick={onLogout}
                  >
                    log out
                  </button>
                </span>
              )}
              {reader !== null && user === null && (
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
        {route.page === 'admin' && <AdminPage />}
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
