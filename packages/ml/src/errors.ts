/** A model or manifest that cannot be used: bad input from the user (the CLI exits 2). */
export class ModelError extends Error {
  override readonly name = 'ModelError'
}
