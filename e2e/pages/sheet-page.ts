import type { Locator, Page } from 'playwright-core'
import type { Verdict } from '@cxr-audit/core'

type Mark = Verdict | 'none'

/** The contact sheet, as a reader drives it: keys in, tile states out. Waits, never sleeps. */
export class SheetPageObject {
  constructor(readonly page: Page) {}

  grid(): Locator {
    return this.page.getByTestId('sheet-grid')
  }

  tile(index: number): Locator {
    return this.page.locator(`[data-testid="tile"][data-index="${index}"]`)
  }

  async paints(): Promise<number> {
    return this.page.evaluate(
      () => (window as unknown as { __cxr: { paints: unknown[] } }).__cxr.paints.length,
    )
  }

  /** Waits until the app announces a sheet painted after `before` paints (thumbnails decoded). */
  async waitPainted(before = 0): Promise<void> {
    await this.page.waitForFunction(
      (n) => (window as unknown as { __cxr: { paints: unknown[] } }).__cxr.paints.length > n,
      before,
    )
  }

  /** Opens a sheet in a fresh document and waits until it is painted. */
  async open(url: string): Promise<void> {
    await this.page.goto('about:blank')
    await this.page.goto(url)
    await this.waitPainted(0)
  }

  /** Reloads (the outbox and the reader come back from local storage). */
  async reload(): Promise<void> {
    await this.page.reload()
    await this.waitPainted(0)
  }

  async press(...keys: string[]): Promise<void> {
    for (const k of keys) await this.page.keyboard.press(k)
  }

  /** Moves the cursor to a tile with the mouse (a click selects). */
  async select(index: number): Promise<void> {
    await this.tile(index).click()
    await this.page
      .locator(`[data-testid="tile"][data-index="${index}"][data-cursor="true"]`)
      .waitFor()
  }

  async expectVerdict(index: number, verdict: Mark, colour?: string): Promise<void> {
    const c = colour === undefined ? '' : `[data-colour="${colour}"]`
    await this.page
      .locator(`[data-testid="tile"][data-index="${index}"][data-verdict="${verdict}"]${c}`)
      .waitFor()
  }

  async expectTags(index: number, tags: string[]): Promise<void> {
    await this.page
      .locator(`[data-testid="tile"][data-index="${index}"][data-tags="${tags.join('|')}"]`)
      .waitFor()
  }

  /** Every mark acknowledged by the server (after its commit). */
  async waitSaved(): Promise<void> {
    await this.page
      .locator('[data-testid="outbox"][data-state="saved"][data-pending="0"]')
      .first()
      .waitFor()
  }

  async count(): Promise<number> {
    return this.page.getByTestId('tile').count()
  }

  async sheetKey(): Promise<string> {
    return (await this.grid().getAttribute('data-sheet')) ?? ''
  }

  /** PageDown: finishes the page and waits for the next sheet to be painted. */
  async nextPage(): Promise<void> {
    const before = await this.paints()
    await this.press('PageDown')
    await this.waitPainted(before)
  }

  async message(): Promise<string> {
    return (await this.page.getByTestId('message').textContent()) ?? ''
  }
}

/** The full-resolution viewer. */
export class ViewerObject {
  constructor(readonly page: Page) {}

  root(): Locator {
    return this.page.getByTestId('viewer')
  }

  async waitReady(): Promise<void> {
    await this.page.locator('[data-testid="viewer"][data-status="ready"]').waitFor()
  }

  async window(): Promise<string> {
    return (await this.root().getAttribute('data-window')) ?? ''
  }

  /** Right-drag on the image: horizontal = width, vertical = level. */
  async dragWindow(dx: number, dy: number): Promise<void> {
    const box = (await this.page.getByTestId('viewer-viewport').boundingBox())!
    const x = box.x + box.width / 2
    const y = box.y + box.height / 2
    await this.page.mouse.move(x, y)
    await this.page.mouse.down({ button: 'right' })
    await this.page.mouse.move(x + dx, y + dy, { steps: 5 })
    await this.page.mouse.up({ button: 'right' })
  }

  async waitWindowNot(value: string): Promise<void> {
    await this.page.locator(`[data-testid="viewer"]:not([data-window="${value}"])`).waitFor()
  }
}
