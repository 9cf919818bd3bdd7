/** A sampling plan, a seed or a mark that cannot be used as given (the CLI exits 2, the API 400). */
export class AuditInputError extends Error {
  override readonly name = 'AuditInputError'
}
