/**
 * Runs `work` on every item with at most `concurrency` at once; results in input order. The
 * first failure stops the workers from taking new items and is thrown.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  let failed = false
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length && !failed; i = next++) {
      try {
        out[i] = await work(items[i]!, i)
      } catch (error) {
        failed = true
        throw error
      }
    }
  }
  const n = Math.max(1, Math.min(concurrency, items.length))
  await Promise.all(Array.from({ length: n }, worker))
  return out
}
