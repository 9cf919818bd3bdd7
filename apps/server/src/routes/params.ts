/** JSON schemas shared by the routes. */
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } },
} as const

export const readerQuery = { type: 'integer', minimum: 1, maximum: 2147483647 } as const
export const pageQuery = { type: 'integer', minimum: 0, maximum: 1000000, default: 0 } as const
