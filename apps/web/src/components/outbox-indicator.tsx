import { useEffect } from 'react'
import { useOutbox, useServices } from '../services.tsx'

const LABEL = {
  saved: 'All marks saved',
  saving: 'Saving…',
  retrying: 'Server unreachable — retrying',
  failed: 'Some marks were refused',
} as const

/**
 * Saved or not, always visible [W16]. `body[data-outbox]` carries the state so tests and the
 * bench wait for "saved" instead of sleeping.
 */
export function OutboxIndicator() {
  const s = useOutbox()
  const { outbox } = useServices()
  useEffect(() => {
    document.body.dataset['outbox'] = s.state
    document.body.dataset['pending'] = String(s.pending)
  }, [s.state, s.pending])
  const unsaved = s.pending > 0 ? ` (${s.pending} unsaved)` : ''
  return (
    <span
      className={`outbox outbox-${s.state}`}
      data-testid="outbox"
      data-state={s.state}
      data-pending={s.pending}
      title={s.lastError ?? 'Every mark is stored in this browser until the server confirms it'}
      role="status"
      aria-live="polite"
    >
      <span className="outbox-dot" aria-hidden="true" />
      {LABEL[s.state]}
      {s.state === 'saved' ? '' : unsaved}
      {s.state === 'retrying' && (
        <button type="button" className="link-button" onClick={() => outbox.retryNow()}>
          retry now
        </button>
      )}
      {s.failed > 0 && s.state !== 'failed' && (
        <span className="outbox-failed"> · {s.failed} refused</span>
      )}
    </span>
  )
}
