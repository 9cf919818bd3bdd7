import { chexpertKey } from './chexpert.ts'
import { isDigits } from './header-table.ts'
import { mimicKey } from './mimic.ts'

/** What an id in a reader's or a model's file names: an item, or a study of films. */
export interface ItemKey {
  readonly name: string
  readonly study: string
  readonly kind: 'film' | 'study'
}

/**
 * How ids in other files name the items of a dataset of this source format, whatever prefix
 * they carry [DS3]: CheXpert paths and study folders; MIMIC-CXR-JPG paths, study folders and bare
 * `study_id`s. Null: ids are item names as stored.
 */
export function itemKeyOf(sourceFormat: string): ((id: string) => ItemKey | undefined) | null {
  if (sourceFormat === 'chexpert') return chexpertKey
  if (sourceFormat === 'mimic')
    return (id) => {
      const t = id.trim()
      return isDigits(t) ? { name: t, study: t, kind: 'study' } : mimicKey(t)
    }
  return null
}
