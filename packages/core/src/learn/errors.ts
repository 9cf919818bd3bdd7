/** Bad input to a learning algorithm: shapes disagree, a label is not 0/1, a value is NaN, ... */
export class LearnInputError extends Error {
  override readonly name = 'LearnInputError'
}
