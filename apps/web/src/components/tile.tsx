import { UNUSABLE_TAG, markColour } from '@cxr-audit/core'
import { memo, useEffect, useRef, useState } from 'react'
import { filmThumbnailUrl, thumbnailUrl, type SheetItemDto } from '../api.ts'

export interface TileProps {
  readonly item: SheetItemDto
  readonly index: number
  readonly cursor: boolean
  readonly missing: boolean
  readonly blinded: boolean
  readonly finding: string | null
  readonly pending: boolean
  readonly onSelect: (index: number) => void
  readonly onOpen: (index: number) => void
}

const VERDICT_TEXT = { present: 'present', absent: 'absent', uncertain: 'uncertain' } as const

/** One film of the contact sheet. Everything shown is text, escaped by React [W19]. */
export const Tile = memo(function Tile(p: TileProps) {
  const { item } = p
  const [thumb, setThumb] = useState<'loading' | 'loaded' | 'error'>('loading')
  const self = useRef<HTMLElement>(null)
  // on narrow screens the sheet scrolls: keep the cursor in view
  useEffect(() => {
    if (p.cursor) self.current?.scrollIntoView({ block: 'nearest' })
  }, [p.cursor])
  const labelled = p.blinded ? null : (item.labelled ?? null)
  const colour = item.verdict === null ? 'none' : markColour(item.verdict, labelled)
  const unusable = item.tags.includes(UNUSABLE_TAG)
  const tags = item.tags.filter((t) => t !== UNUSABLE_TAG)
  const films = item.films ?? []
  const meta = [
    item.age === null ? '?' : `${item.age}`,
    item.sex || '?',
    films.length > 1 ? `${films.length} films` : item.view || '?',
  ]
  const classes = [
    'tile',
    `mark-${colour}`,
    item.implied ? 'implied' : '',
    p.cursor ? 'cursor' : '',
    p.missing ? 'missing' : '',
    unusable ? 'unusable' : '',
  ]
  return (
    <figure
      ref={self}
      className={classes.filter(Boolean).join(' ')}
      data-testid="tile"
      data-index={p.index}
      data-image={item.name}
      data-verdict={item.verdict ?? 'none'}
      data-implied={item.implied ? 'true' : 'false'}
      data-colour={colour}
      data-tags={item.tags.join('|')}
      data-cursor={p.cursor ? 'true' : 'false'}
      data-thumb={thumb}
      data-saved={p.pending ? 'false' : 'true'}
      aria-current={p.cursor ? 'true' : undefined}
      onClick={() => p.onSelect(p.index)}
      onDoubleClick={() => p.onOpen(p.index)}
    >
      <div className="tile-image">
        {item.onDisk && films.length > 1 ? (
          // a study: its films together, frontal first [DS26]
          <div className="study-films" data-testid="study-films">
            {films.map((f, n) => (
              <img
                key={f.name}
                src={n === 0 ? thumbnailUrl(item.imageId) : filmThumbnailUrl(item.imageId, n)}
                alt={f.name}
                title={f.name}
                data-testid="study-film"
                data-view={f.view}
                decoding="async"
                draggable={false}
                onLoad={n === 0 ? () => setThumb('loaded') : undefined}
                onError={n === 0 ? () => setThumb('error') : undefined}
              />
            ))}
          </div>
        ) : item.onDisk ? (
          <img
            src={thumbnailUrl(item.imageId)}
            alt={item.name}
            decoding="async"
            draggable={false}
            onLoad={() => setThumb('loaded')}
            onError={() => setThumb('error')}
          />
        ) : null}
        {(thumb === 'error' || !item.onDisk) && (
          <div className="tile-unreadable" data-testid="unreadable">
            <strong>{item.onDisk ? 'Unreadable image' : 'Not on disk'}</strong>
            <span>{item.unreadable ?? 'press u to mark it unusable'}</span>
          </div>
        )}
        {labelled !== null && p.finding !== null && (
          <span
            className={labelled === 1 ? 'label-chip positive' : 'label-chip negative'}
            data-testid="label"
          >
            {labelled === 1 ? '+' : '−'} {p.finding}
          </span>
        )}
        {item.verdict !== null && (
          <span className={`verdict-badge ${colour}`} data-testid="verdict">
            {colour === 'red' ? '✗ ' : colour === 'orange' ? '? ' : '✓ '}
            {item.implied ? 'confirmed' : VERDICT_TEXT[item.verdict]}
          </span>
        )}
        {unusable && <span className="unusable-badge">image unusable</span>}
        {p.pending && (
          <span className="unsaved-dot" title="not saved yet" aria-label="not saved yet" />
        )}
        {tags.length > 0 && (
          <div className="tag-badges">
            {tags.map((t) => (
              <span key={t} className="tag-badge">
                {t}
              </span>
            ))}
          </div>
        )}
      </div>
      <figcaption>
        <span className="tile-name">{item.name}</span>
        <span className="tile-meta">{meta.join(' · ')}</span>
      </figcaption>
    </figure>
  )
})
