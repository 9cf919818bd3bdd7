export { DIALECTS, tempStore } from '../../../test-support/temp-store.ts'
/** Every row of the tables an import touches, to compare the database before and after. */
export { snapshot } from '@cxr-audit/store/testing'
