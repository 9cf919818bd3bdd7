export { buildApp, CONTENT_SECURITY_POLICY, type Workbench, type WorkbenchOptions } from './app.ts'
export {
  startServer,
  exposureProblem,
  ExposureError,
  DEFAULT_PORT,
  DEFAULT_HOST,
  type RunningServer,
} from './serve.ts'
export type { ApiRoute } from './auth/access.ts'
export { defaultWebDir } from './paths.ts'
export { ensureWebBuild, webBuildIsStale } from './web-build.ts'
export { prepareDemo, DEMO_AUDIT, DEMO_DATASET } from './demo.ts'
