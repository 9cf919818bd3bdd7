import { useEffect, useState } from 'react'

export type Loaded<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: string }
  | { readonly status: 'ready'; readonly data: T }

/** Loads once per `key`; `reload()` fetches again. */
export function useLoad<T>(key: string, load: () => Promise<T>): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' })
  const [tick, setTick] = useState(0)
  useEffect(() => {
    let live = true
    load()
      .then((data) => live && setState({ status: 'ready', data }))
      .catch(
        (e: unknown) =>
          live && setState({ status: 'error', error: e instanceof Error ? e.message : String(e) }),
      )
    return () => {
      live = false
    }
    // `load` is a new closure every render; `key` names what it loads
  }, [key, tick])
  return [state, () => setTick((t) => t + 1)]
}
