import type { Migration } from 'kysely'
import type { StoreKind } from '../store.ts'
import { initial } from './001-initial.ts'
import { workbench } from './002-workbench.ts'
import { labels } from './003-labels.ts'
import { models } from './004-models.ts'
import { imaging } from './005-imaging.ts'
import { embeddings } from './006-embeddings.ts'
import { dicomweb } from './007-dicomweb.ts'
import { learn } from './008-learn.ts'
import { accounts } from './009-accounts.ts'
import { stats } from './011-stats.ts'
import { datasets } from './012-datasets.ts'
import { report } from './013-report.ts'
import { design } from './014-design.ts'
import { reading } from './015-reading.ts'
import { readerBoxes } from './016-reader-boxes.ts'
import { studyFilms } from './017-study-films.ts'

/** Every migration, in order. Names never change once released. */
export function migrations(kind: StoreKind): Record<string, Migration> {
  return {
    '001-initial': initial(kind),
    '002-workbench': workbench(kind),
    '003-labels': labels(kind),
    '004-models': models(kind),
    '005-imaging': imaging(kind),
    '006-embeddings': embeddings(kind),
    '007-dicomweb': dicomweb(kind),
    '008-learn': learn(kind),
    '009-accounts': accounts(kind),
    '011-stats': stats(kind),
    '012-datasets': datasets(kind),
    '013-report': report(kind),
    '014-design': design(kind),
    '015-reading': reading(kind),
    '016-reader-boxes': readerBoxes(kind),
    '017-study-films': studyFilms(kind),
  }
}
