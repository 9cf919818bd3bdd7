import { presetsText } from '@cxr-audit/core'
import { readingConditions, type ReadingConditionsReport } from '@cxr-audit/store'
import type { Context } from '../context.ts'
import { UsageError } from '../errors.ts'
import { fixed, pct, table } from '../output.ts'
import { parseAuditId } from './stats-labels.ts'

export interface StatsReadingOptions {
  audit?: string
}

/** `cxr-audit stats reading --audit ID` [W36]: time per film, viewer use and presets per reader. */
export async function statsReadingCommand(
  ctx: Context,
  o: StatsReadingOptions,
): Promise<ReadingConditionsReport> {
  const auditId = parseAuditId(o.audit)
  if (auditId === undefined) throw new UsageError('say which audit: --audit ID')
  const store = await ctx.store()
  const report = await readingConditions(store.db, auditId)
  if (!ctx.json) ctx.say(renderReading(report))
  return report
}

export function renderReading(r: ReadingConditionsReport): string {
  if (r.readers.length === 0) return `Audit ${r.auditId} "${r.audit}": no person has read it yet.`
  return [
    `Reading conditions of audit ${r.auditId} "${r.audit}" (a page's time runs from the page finished before; silences over ${r.breakSeconds / 60} minutes are breaks)`,
    table(
      ['Reader', 'Films', 'Pages timed', 'Median s/film', 'Films/hour', 'Viewer', 'Presets'],
      r.readers.map((x) => [
        x.reader,
        String(x.films),
        `${x.timedPages} of ${x.pages}`,
        x.medianSecondsPerFilm === null ? 'not timed' : fixed(x.medianSecondsPerFilm, 1),
        x.filmsPerHour === null ? 'not timed' : fixed(x.filmsPerHour, 0),
        x.viewerFilms === null
          ? 'not recorded'
          : `${x.viewerFilms} (${x.viewerShare === null ? '-' : pct(x.viewerShare)})`,
        presetsText(x.presets),
      ]),
    ),
  ].join('\n')
}
