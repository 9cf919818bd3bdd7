export * from './queue.ts'
export * from './thumbnail-batches.ts'
export * from './embedding-batches.ts'
