import type { SheetItem } from '@cxr-audit/store'
import type { SheetItemDto } from '@cxr-audit/contract'

/**
 * A tile for the client. Blinded, the original label and the boxes (which name the finding)
 * are left out of the answer altogether, not merely hidden by the page [W7].
 */
export function toItemDto(it: SheetItem, blinded: boolean): SheetItemDto {
  const common = {
    position: it.position,
    imageId: it.imageId,
    findingId: it.findingId,
    name: it.name,
    age: it.age,
    sex: it.sex,
    view: it.view,
    split: it.split,
    onDisk: it.onDisk,
    unreadable: it.unreadable,
    verdict: it.verdict,
    implied: it.implied,
    tags: it.tags,
    ...(it.films === undefined ? {} : { films: it.films }),
  }
  if (blinded) return common
  return { ...common, ...(it.labelled === null ? {} : { labelled: it.labelled }), boxes: it.boxes }
}
