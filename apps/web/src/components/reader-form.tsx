import { useState } from 'react'
import type { ReaderDto } from '../api.ts'
import { registerReader } from '../reader.ts'

/** The reader's name, asked once; kept in this browser [W17]. */
export function ReaderForm({
  onReader,
  submitLabel,
  after,
}: {
  onReader: (r: ReaderDto) => void
  submitLabel: string
  after?: (r: ReaderDto) => void
}) {
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  return (
    <form
      className="reader-form"
      onSubmit={(e) => {
        e.preventDefault()
        const clean = name.trim()
        if (clean === '') {
          setError('Please give your name.')
          return
        }
        setBusy(true)
        registerReader(clean)
          .then((r) => {
            onReader(r)
            after?.(r)
          })
          .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
          .finally(() => setBusy(false))
      }}
    >
      <label>
        Your name
        <input
          type="text"
          name="reader"
          autoComplete="name"
          maxLength={60}
          value={name}
          placeholder="e.g. Dr Ada Lovelace"
          onChange={(e) => setName(e.target.value)}
          data-testid="reader-input"
        />
      </label>
      <button type="submit" className="button primary" disabled={busy} data-testid="reader-submit">
        {submitLabel}
      </button>
      {error !== null && <p className="error-line">{error}</p>}
    </form>
  )
}
