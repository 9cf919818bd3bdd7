/** Reports how long each stage of a job took, e.g. to the import benchmark. */
export type OnTiming = (stage: string, ms: number) => void

/**
 * A stopwatch for the stages of a job: each call reports the time since the previous one under
 * the name of the stage that just ended. Costs nothing when nobody listens.
 */
export function laps(report: OnTiming | undefined): (stage: string) => void {
  if (report === undefined) return () => {}
  let last = performance.now()
  return (stage) => {
    const t = performance.now()
    report(stage, t - last)
    last = t
  }
}
