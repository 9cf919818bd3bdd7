/** Something wrong with an option of a model audit (a threshold rule, a cell, a gallery size). */
export class ModelSpecError extends Error {
  override readonly name = 'ModelSpecError'
}
