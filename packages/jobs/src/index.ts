export * from './queue.ts'
export * from './thumbnail-batches.ts'
