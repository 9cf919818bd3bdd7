import type { WindowPreset } from '@cxr-audit/core'

/** What the workbench records besides marks [W35]: a page shown, a film opened, a preset applied. */
export type ReadingEventDto =
  | {
      readonly kind: 'sheet'
      readonly clientEventId: string
      readonly auditId: number
      readonly findingId: number
      readonly page: number
    }
  | {
      readonly kind: 'viewer'
      readonly clientEventId: string
      readonly auditId: number
      readonly imageId: number
    }
  | {
      readonly kind: 'preset'
      readonly clientEventId: string
      readonly auditId: number
      readonly imageId: number
      readonly preset: WindowPreset
    }

/** POST /api/reading-events [W35]. */
export interface ReadingEventsBody {
  /** The reader in one-person mode; with accounts the session's user (another id is 403). */
  readonly readerId?: number
  readonly events: ReadingEventDto[]
}

export interface ReadingEventsAnswer {
  readonly acknowledged: string[]
  readonly stored: number
  readonly duplicates: number
}

/** One person reader's reading conditions in an audit [W34][W36]. */
export interface ReaderConditionsDto {
  readonly reader: string
  readonly readerId: number
  readonly films: number
  readonly first: string
  readonly last: string
  readonly pages: number
  readonly timedPages: number
  readonly timedFilms: number
  readonly timedSeconds: number
  readonly breaks: number
  readonly breakSeconds: number
  readonly medianSecondsPerFilm: number | null
  readonly filmsPerHour: number | null
  /** false: the viewer and preset fields are null (not recorded), never zero. */
  readonly recorded: boolean
  readonly viewerFilms: number | null
  readonly viewerShare: number | null
  readonly viewerOpens: number | null
  readonly presets: Readonly<Record<string, number>> | null
}

/** `stats reading --json`, and the results page's `readingConditions` [W36]. */
export interface ReadingConditionsDto {
  readonly auditId: number
  readonly audit: string
  readonly breakSeconds: number
  readonly readers: readonly ReaderConditionsDto[]
}
