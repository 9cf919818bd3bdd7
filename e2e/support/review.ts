import type { AuditDto, ReaderDto, SheetDto } from '@cxr-audit/contract'
import type { Workbench } from './workbench.ts'

/**
 * A reader reviews every sheet of an audit through the API (for screenshots and set-ups, not
 * for the behaviour under test): every fifth to seventh film contradicts its label, every eleventh is
 * doubtful, `shift` makes two readers disagree; every sixth film gets "chest drain".
 */
export async function reviewByApi(
  wb: Workbench,
  audit: AuditDto,
  name: string,
  shift: number,
): Promise<ReaderDto> {
  const reader = (await wb.api<{ reader: ReaderDto }>('POST', '/api/readers', { name })).json.reader
  const events: object[] = []
  for (const [n, f] of audit.findings.entries()) {
    for (let page = 0; page < f.pages; page++) {
      const sheet = (
        await wb.api<SheetDto>(
          'GET',
          `/api/audits/${audit.id}/sheet?finding=${f.findingId}&page=${page}`,
        )
      ).json
      sheet.items.forEach((it, i) => {
        const k = i + page * 18 + shift + 3 * n
        const wrong = k % (5 + n) === 0
        const verdict =
          k % 11 === 0 ? 'uncertain' : (it.labelled === 1) !== wrong ? 'present' : 'absent'
        const id = `${reader.id}-${f.findingId}-${page}-${i}`
        events.push({
          kind: 'verdict',
          clientEventId: `shot-v-${id}`,
          auditId: audit.id,
          imageId: it.imageId,
          findingId: f.findingId,
          verdict,
        })
        if ((i + shift) % 6 === 0)
          events.push({
            kind: 'tag',
            clientEventId: `shot-t-${id}`,
            auditId: audit.id,
            imageId: it.imageId,
            tag: 'chest drain',
            on: true,
          })
      })
    }
  }
  const r = await wb.api('POST', '/api/events', { readerId: reader.id, events })
  if (r.status !== 200) throw new Error(`events refused: ${r.text}`)
  return reader
}
