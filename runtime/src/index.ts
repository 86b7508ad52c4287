export { type AppOptions, createApp, DEFAULT_BODY_LIMIT } from './server/app.ts';
export type { ApiEnv } from './server/env.ts';
export type { ApiError, ProblemDocument } from './server/problem.ts';
export { type RunningServer, serve } from './server/serve.ts';
