/**
 * @cxr-audit/dicomweb: a DICOMweb client (QIDO-RS, WADO-RS, STOW-RS on fetch) and a DICOMweb
 * server as an image source. Rules: docs/SPEC-dicomweb.md.
 */
export * from './errors.ts'
export * from './auth.ts'
export * from './client.ts'
export * from './multipart.ts'
export * from './limit.ts'
export * from './source.ts'
export * from './atomic.ts'
export * from './root.ts'
