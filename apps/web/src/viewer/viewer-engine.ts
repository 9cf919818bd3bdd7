import type { WindowPreset } from '@cxr-audit/core'
import { DEFAULT_WINDOW, clampWindow, presetWindow, windowLut, type Window } from './window.ts'

export interface ViewerState {
  readonly status: 'loading' | 'ready' | 'error'
  readonly error: string | null
  readonly width: number
  readonly height: number
  readonly window: Window
  readonly preset: WindowPreset | null
  readonly invert: boolean
  readonly zoom: number
  readonly boxes: boolean
}

const INITIAL: ViewerState = {
  status: 'loading',
  error: null,
  width: 0,
  height: 0,
  window: DEFAULT_WINDOW,
  preset: 'default',
  invert: false,
  zoom: 1,
  boxes: true,
}

/**
 * The full-resolution viewer, plain TypeScript: the image is drawn once into a canvas at its
 * own size; window/level and inversion go through a 256-entry table, zoom and pan are a CSS
 * transform of the stage (so dragging stays smooth on 1024 x 1024 and larger films).
 */
export class ViewerEngine {
  readonly #listeners = new Set<() => void>()
  #state: ViewerState = INITIAL
  #grey: Uint8ClampedArray | null = null
  #image: ImageData | null = null
  #frame = 0
  #fit = 1
  #pan = { x: 0, y: 0 }
  #abort: AbortController | null = null
  #drag: {
    x: number
    y: number
    mode: 'pan' | 'window'
    window: Window
    pan: { x: number; y: number }
  } | null = null

  constructor(
    readonly viewport: HTMLElement,
    readonly stage: HTMLElement,
    readonly canvas: HTMLCanvasElement,
  ) {
    viewport.addEventListener('pointerdown', this.#onDown)
    viewport.addEventListener('pointermove', this.#onMove)
    viewport.addEventListener('pointerup', this.#onUp)
    viewport.addEventListener('pointercancel', this.#onUp)
    viewport.addEventListener('wheel', this.#onWheel, { passive: false })
    viewport.addEventListener('contextmenu', this.#onContext)
  }

  subscribe = (fn: () => void): (() => void) => {
    this.#listeners.add(fn)
    return () => this.#listeners.delete(fn)
  }

  getState = (): ViewerState => this.#state

  #set(patch: Partial<ViewerState>): void {
    this.#state = { ...this.#state, ...patch }
    for (const l of this.#listeners) l()
  }

  async load(url: string): Promise<void> {
    this.#abort?.abort()
    const abort = new AbortController()
    this.#abort = abort
    this.#grey = null
    this.#set({ status: 'loading', error: null })
    try {
      const res = await fetch(url, { signal: abort.signal })
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
        throw new Error(body?.error?.message ?? `the server answered ${res.status}`)
      }
      const bitmap = await createImageBitmap(await res.blob())
      if (abort.signal.aborted) return
      const { width, height } = bitmap
      this.canvas.width = width
      this.canvas.height = height
      const ctx = this.canvas.getContext('2d', { willReadFrequently: true })!
      ctx.drawImage(bitmap, 0, 0)
      bitmap.close()
      this.#image = ctx.getImageData(0, 0, width, height)
      const grey = new Uint8ClampedArray(width * height)
      const rgba = this.#image.data
      for (let i = 0, j = 0; i < grey.length; i++, j += 4) grey[i] = rgba[j]!
      this.#grey = grey
      this.stage.style.width = `${width}px`
      this.stage.style.height = `${height}px`
      this.#set({ status: 'ready', width, height })
      this.fit()
      this.#paint()
    } catch (e) {
      if (abort.signal.aborted) return
      this.#set({ status: 'error', error: e instanceof Error ? e.message : String(e) })
    }
  }

  /** Zoom to fit the viewport, centred. */
  fit(): void {
    const { width, height } = this.#state
    if (width === 0) return
    const vw = this.viewport.clientWidth
    const vh = this.viewport.clientHeight
    this.#fit = Math.min(vw / width, vh / height)
    this.#pan = { x: (vw - width * this.#fit) / 2, y: (vh - height * this.#fit) / 2 }
    this.#set({ zoom: this.#fit })
    this.#transform()
  }

  reset(): void {
    this.#set({ window: DEFAULT_WINDOW, preset: 'default', invert: false })
    this.fit()
    this.#paint()
  }

  setWindow(w: Window, preset: WindowPreset | null = null): void {
    this.#set({ window: clampWindow(w), preset })
    this.#paint()
  }

  applyPreset(name: WindowPreset): void {
    this.setWindow(presetWindow(name), name)
  }

  toggleInvert(): void {
    this.#set({ invert: !this.#state.invert })
    this.#paint()
  }

  toggleBoxes(): void {
    this.#set({ boxes: !this.#state.boxes })
  }

  /** Zoom by `factor` about a viewport point (default: the centre). */
  zoomBy(factor: number, at?: { x: number; y: number }): void {
    const old = this.#state.zoom
    const zoom = Math.max(this.#fit * 0.5, Math.min(old * factor, 16))
    const p = at ?? { x: this.viewport.clientWidth / 2, y: this.viewport.clientHeight / 2 }
    this.#pan = {
      x: p.x - ((p.x - this.#pan.x) * zoom) / old,
      y: p.y - ((p.y - this.#pan.y) * zoom) / old,
    }
    this.#set({ zoom })
    this.#transform()
  }

  #transform(): void {
    this.stage.style.transform = `translate(${this.#pan.x}px, ${this.#pan.y}px) scale(${this.#state.zoom})`
  }

  #paint(): void {
    if (this.#frame !== 0) return
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0
      const grey = this.#grey
      const image = this.#image
      if (grey === null || image === null) return
      const lut = windowLut(this.#state.window, this.#state.invert)
      const out = image.data
      for (let i = 0, j = 0; i < grey.length; i++, j += 4) {
        const v = lut[grey[i]!]!
        out[j] = v
        out[j + 1] = v
        out[j + 2] = v
      }
      this.canvas.getContext('2d')!.putImageData(image, 0, 0)
      this.viewport.dispatchEvent(new CustomEvent('cxr:viewer-painted', { bubbles: true }))
    })
  }

  #onContext = (e: Event): void => e.preventDefault()

  #onDown = (e: PointerEvent): void => {
    if (this.#state.status !== 'ready') return
    const mode = e.button === 2 || e.shiftKey || e.ctrlKey ? 'window' : 'pan'
    this.#drag = { x: e.clientX, y: e.clientY, mode, window: this.#state.window, pan: this.#pan }
    this.viewport.setPointerCapture(e.pointerId)
    e.preventDefault()
  }

  #onMove = (e: PointerEvent): void => {
    const d = this.#drag
    if (d === null) return
    const dx = e.clientX - d.x
    const dy = e.clientY - d.y
    if (d.mode === 'pan') {
      this.#pan = { x: d.pan.x + dx, y: d.pan.y + dy }
      this.#transform()
    } else {
      // right: wider window (less contrast); down: higher center (darker)
      this.setWindow({ center: d.window.center + dy * 0.5, width: d.window.width + dx })
    }
  }

  #onUp = (e: PointerEvent): void => {
    if (this.#drag === null) return
    this.#drag = null
    if (this.viewport.hasPointerCapture(e.pointerId))
      this.viewport.releasePointerCapture(e.pointerId)
  }

  #onWheel = (e: WheelEvent): void => {
    e.preventDefault()
    const r = this.viewport.getBoundingClientRect()
    this.zoomBy(e.deltaY < 0 ? 1.15 : 1 / 1.15, { x: e.clientX - r.left, y: e.clientY - r.top })
  }

  destroy(): void {
    this.#abort?.abort()
    if (this.#frame !== 0) cancelAnimationFrame(this.#frame)
    const v = this.viewport
    v.removeEventListener('pointerdown', this.#onDown)
    v.removeEventListener('pointermove', this.#onMove)
    v.removeEventListener('pointerup', this.#onUp)
    v.removeEventListener('pointercancel', this.#onUp)
    v.removeEventListener('wheel', this.#onWheel)
    v.removeEventListener('contextmenu', this.#onContext)
  }
}
