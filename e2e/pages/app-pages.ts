import type { Page } from 'playwright-core'

/** The first visit, the new-audit form and the audit page. */
export class AppPages {
  constructor(
    readonly page: Page,
    readonly base: string,
  ) {}

  async giveName(name: string): Promise<void> {
    await this.page.getByTestId('reader-input').fill(name)
    await this.page.getByTestId('reader-submit').click()
  }

  /** Fills the form and draws; returns the new audit's id from the audit page's URL. */
  async createAudit(o: {
    name: string
    findings: string[]
    positives: number
    negatives: number
    seed: number
    blinded?: boolean
  }): Promise<number> {
    await this.page.goto(`${this.base}/#/audits/new`)
    await this.page.getByTestId('audit-name').fill(o.name)
    for (const f of o.findings) await this.page.getByTestId(`finding-${f}`).check()
    await this.page.getByTestId('audit-positives').fill(String(o.positives))
    await this.page.getByTestId('audit-negatives').fill(String(o.negatives))
    await this.page.getByTestId('audit-seed').fill(String(o.seed))
    if (o.blinded === true) await this.page.getByTestId('audit-blinded').check()
    await this.page.getByTestId('audit-create').click()
    await this.page.getByTestId('audit-page').waitFor()
    return Number(/#\/audits\/(\d+)/.exec(this.page.url())![1])
  }
}
