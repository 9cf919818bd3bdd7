import type { Locator, Page } from 'playwright-core'

/** The results page of an audit: waits for its data, never sleeps. */
export class ResultsPageObject {
  constructor(
    readonly page: Page,
    readonly base: string,
  ) {}

  async open(audit: number): Promise<void> {
    await this.page.goto(`${this.base}/#/audits/${audit}/results`)
    await this.waitReady()
  }

  async waitReady(): Promise<void> {
    await this.page.locator('[data-testid="results-page"][data-state="ready"]').waitFor()
  }

  /** The PPV cell of a finding's row in the label-accuracy table. */
  ppv(finding: string): Locator {
    return this.page.locator(
      `[data-testid="accuracy-row"][data-finding="${finding}"] [data-testid="ppv"]`,
    )
  }

  forestRow(finding: string): Locator {
    return this.page.locator(`[data-testid="forest-plot"] [data-finding="${finding}"]`)
  }

  /** A cell of a finding's row in the label-issue review table [LI4]. */
  flagCell(finding: string, cell: 'confirmed-wrong' | 'flag-precision'): Locator {
    return this.page.locator(
      `[data-testid="label-issue-table"] [data-finding="${finding}"] [data-testid="${cell}"]`,
    )
  }
}

/** The models page: the AUC table, the operating points and galleries, the stratification. */
export class ModelsPageObject {
  constructor(
    readonly page: Page,
    readonly base: string,
  ) {}

  async open(model?: number): Promise<void> {
    await this.page.goto(`${this.base}/#/models${model === undefined ? '' : `/${model}`}`)
    for (const s of ['auc-section', 'truth-section', 'gallery-section', 'strat-section'])
      await this.page.locator(`[data-testid="${s}"][data-state="ready"]`).waitFor()
  }

  aucRow(finding: string): Locator {
    return this.page.locator(`[data-testid="auc-row"][data-finding="${finding}"]`)
  }

  /** Clicks a gallery button (tp, fp, tn, fn) of a finding's card. */
  async gallery(finding: string, cell: 'tp' | 'fp' | 'tn' | 'fn'): Promise<void> {
    await this.page
      .locator(`[data-testid="op-card"][data-finding="${finding}"] [data-testid="gallery-${cell}"]`)
      .click()
  }
}
