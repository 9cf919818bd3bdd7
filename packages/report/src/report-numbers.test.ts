import { describe, expect, it } from 'vitest'
import { forestPlotSvg } from './forest-plot.ts'

describe('the numbers of #11 in the report', () => {
  it('[L24] the forest plot draws the lenient PPV and its interval as a second mark, with a legend', () => {
    const svg = forestPlotSvg(
      [
        {
          label: 'Effusion',
          value: 0.5,
          low: 0.3,
          high: 0.7,
          published: 0.9,
          n: 10,
          lenient: { value: 0.6, low: 0.4, high: 0.8 },
        },
        { label: 'Mass', value: null, low: null, high: null, published: null, n: 0 },
      ],
      'PPV',
    )
    // one hollow square for the one finding with a lenient PPV, and one in the legend
    expect(svg.match(/<rect /g)?.length).toBe(2)
    expect(svg).toContain('Effusion: lenient PPV 60.0% (40.0% to 80.0%)')
    expect(svg).toContain('lenient PPV (uncertain counted as present) with 95% interval')
    // the dashed interval spans 40% to 80% of the 420 px axis from x = 190
    expect(svg).toContain('x1="358" y1="')
    expect(svg).toContain('x2="526" y2="')
    const plain = forestPlotSvg(
      [{ label: 'Mass', value: 0.5, low: 0.3, high: 0.7, published: null, n: 4 }],
      'PPV',
    )
    expect(plain).not.toContain('<rect ')
  })
})
