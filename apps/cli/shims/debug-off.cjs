// Stands in for the `debug` package inside the bundled @stdlib code (apps/cli/build.js): the
// quantile solvers only log overflow warnings through it when DEBUG names them, and loading the
// real package (tty detection, colours, `ms`) cost every command ~40 ms at start.
module.exports = function createDebug() {
  const debug = () => {}
  debug.enabled = false
  return debug
}
