import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app.tsx'
import { HttpError, api } from './api.ts'
import { MarkLedger } from './outbox/ledger.ts'
import { Outbox, type SendResult } from './outbox/outbox.ts'
import './styles.css'

async function send(
  readerId: number,
  events: Parameters<typeof api.sendEvents>[1],
): Promise<SendResult> {
  try {
    const answer = await api.sendEvents(readerId, events)
    return { ok: true, acknowledged: answer.acknowledged }
  } catch (e) {
    if (e instanceof HttpError && e.status === 400) {
      const rejected = e.body?.error.rejected
      return { ok: false, retry: false, message: e.message, ...(rejected ? { rejected } : {}) }
    }
    // unreachable, restarting (5xx), or anything else: keep the marks and try again
    return { ok: false, retry: true, message: e instanceof Error ? e.message : String(e) }
  }
}

const outbox = new Outbox({
  storage: window.localStorage,
  send,
  later: (fn, ms) => {
    const t = window.setTimeout(fn, ms)
    return () => window.clearTimeout(t)
  },
})
const ledger = new MarkLedger(outbox.pending().map((p) => p.event))
window.addEventListener('online', () => outbox.retryNow())
// marks left from an earlier visit are sent as soon as the page opens
void outbox.flush()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App outbox={outbox} ledger={ledger} />
  </StrictMode>,
)
