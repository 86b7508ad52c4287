export { type AppOptions, createApp, DEFAULT_BODY_LIMIT } from './server/app.ts';
export { CSRF_HEADER } from './server/auth.ts';
export type { ApiEnv } from './server/env.ts';
export { type ModuleNames, moduleNames, moduleSchemas } from './server/openapi/modules.ts';
export { unzipPackage, zipPackage } from './server/package-zip.ts';
export type { ApiError, ProblemDocument } from './server/problem.ts';
export { type RunningServer, serve } from './server/serve.ts';
export { SESSION_COOKIE } from './server/session-cookie.ts';
export { DEFAULT_WEB_APPS, type WebApp } from './server/web-apps.ts';
