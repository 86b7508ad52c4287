export { ApiClient, api, type QueryValue, queryString, type RequestOptions } from './client.ts';
export { ApiError, type ApiProblem, errorMessage, type ProblemDocument, problemMessage } from './errors.ts';
export type * from './types.ts';
