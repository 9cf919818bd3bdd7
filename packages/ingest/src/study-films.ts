import { chexpertKey } from '@cxr-audit/core'
import type { StudyFilm } from '@cxr-audit/store'

/** `frontal` or `lateral` as a CheXpert file name says (`view1_frontal.jpg`), else ''. */
export function filmView(name: string): string {
  const m = /_(frontal|lateral)\.[^./]+$/i.exec(name)
  return m === null ? '' : m[1]!.toLowerCase()
}

/**
 * The films on disk of each study (`patientN/studyN` -> films), frontal first, then by name
 * [DS26]: a study item is shown with its films together, and its own picture is the first.
 */
export function filmsByStudy(files: ReadonlyMap<string, string>): Map<string, StudyFilm[]> {
  const out = new Map<string, StudyFilm[]>()
  for (const [name, path] of files) {
    const key = chexpertKey(name)
    if (key === undefined || key.kind !== 'film') continue
    const list = out.get(key.study) ?? []
    list.push({ name, view: filmView(name), path })
    out.set(key.study, list)
  }
  const rank = (f: StudyFilm): number => (f.view === 'frontal' ? 0 : 1)
  for (const list of out.values())
    list.sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return out
}
