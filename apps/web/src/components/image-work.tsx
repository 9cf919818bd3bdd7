import { useEffect, useState } from 'react'
import { api, type JobsDto } from '../api.ts'
import { ProgressBar } from './progress-bar.tsx'

/** Seconds between two looks while batches are waiting or running. */
const POLL_SECONDS = 3

/**
 * Thumbnails, pixel facts and embeddings of the dataset's images [T8]: how many are finished, and the
 * queued batches that `cxr-audit worker` processes are taking (PostgreSQL), followed live
 * while work remains.
 */
export function ImageWork({ datasetId }: { datasetId: number }) {
  const [jobs, setJobs] = useState<JobsDto | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const look = (): void => {
      api
        .jobs(datasetId)
        .then((j) => {
          if (!live) return
          setJobs(j)
          setError(null)
          if (j.queues.some((q) => q.waiting + q.running > 0))
            timer = setTimeout(look, POLL_SECONDS * 1000)
        })
        .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
    }
    look()
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [datasetId])
  if (error !== null) return <p className="error-line">{error}</p>
  if (jobs === null) return null
  const { images, finished, unreadable } = jobs.images
  return (
    <section className="card" data-testid="image-work">
      <h2>Thumbnails, image facts and embeddings</h2>
      <ProgressBar done={finished} total={images} label="images finished" />
      {jobs.embeddings.map((e) => (
        <div key={e.modelSha256} data-testid="embedding-work" data-model={e.model}>
          <ProgressBar done={e.embedded} total={images} label={`images embedded (${e.model})`} />
        </div>
      ))}
      <p className="muted small">
        {unreadable > 0 ? `${unreadable} unreadable. ` : ''}
        {finished < images && jobs.queues.length === 0
          ? 'Run cxr-audit thumbnails and embed (or, on PostgreSQL, thumbnails --queue, embed --queue and cxr-audit worker).'
          : ''}
      </p>
      {jobs.queues.length > 0 && (
        <table className="table" data-testid="queues">
          <thead>
            <tr>
              <th>queue</th>
              <th className="num">waiting</th>
              <th className="num">running</th>
              <th className="num">done</th>
              <th className="num">failed</th>
            </tr>
          </thead>
          <tbody>
            {jobs.queues.map((q) => (
              <tr key={q.queue} data-queue={q.queue}>
                <td>{q.queue}</td>
                <td className="num">{q.waiting}</td>
                <td className="num">{q.running}</td>
                <td className="num">{q.done}</td>
                <td className="num">{q.failed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
