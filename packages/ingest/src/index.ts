export * from './files.ts'
export * from './cxr14-read.ts'
export * from './cxr14-import.ts'
export * from './predictions-import.ts'
