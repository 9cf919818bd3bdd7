/** The keys, in full (`?`). */
export function HelpOverlay({ blinded, onClose }: { blinded: boolean; onClose: () => void }) {
  const rows: [string, string][] = [
    ['← ↑ ↓ → or h k j l', 'move the cursor'],
    ['x', blinded ? 'absent (red)' : 'the label is wrong (red)'],
    ['d', 'doubtful / uncertain (orange)'],
    ['c or space', blinded ? 'present' : 'confirm the label'],
    ['the same key again', 'withdraw that mark'],
    ['1 – 9', 'toggle a tag'],
    ['u', 'image unusable (cannot be judged)'],
    ['z or Ctrl-Z', 'undo (writes a new mark; nothing is erased)'],
    ['Enter', 'open / close the full-resolution viewer'],
    [
      'PageDown',
      blinded
        ? 'next page (every image needs a verdict first)'
        : 'finish the page: unmarked images confirm their label',
    ],
    ['PageUp', 'previous page'],
    ['viewer: drag, right-drag, wheel', 'pan, window/level, zoom'],
    ['viewer: p, i, b, r, 0, + / -', 'preset, invert, boxes, reset, fit, zoom'],
  ]
  return (
    <div className="help-overlay" role="dialog" aria-label="keys" onClick={onClose}>
      <div className="help-card" onClick={(e) => e.stopPropagation()}>
        <h2>Keys</h2>
        <table>
          <tbody>
            {rows.map(([k, v]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="button" onClick={onClose}>
          Close (Esc)
        </button>
      </div>
    </div>
  )
}
