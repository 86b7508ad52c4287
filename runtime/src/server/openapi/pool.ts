import type { CompiledModule, JsonSchema } from '@crm/engine';
import { parameterRef, responseRef, schemaRef } from './names.ts';

// The pool of a module with one (`pool` in its definition): claim and release on its records.

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

/** `…/records/{id}/claim` and `…/release` of a module with a pool; nothing for other modules. */
export function modulePoolPaths(module: CompiledModule, record: string): Record<string, JsonSchema> {
  const pool = module.definition.pool;
  if (!pool) return {};
  const base = `/api/modules/${module.name}/records/{id}`;
  const tags = [module.name];
  const answer = { description: 'The record as stored now', content: json(schemaRef(record)) };
  const problems = {
    401: responseRef('Unauthorized'),
    403: responseRef('Forbidden'),
    404: responseRef('NotFound'),
    409: responseRef('Conflict'),
    422: responseRef('UnprocessableContent'),
  };
  const limit = pool.claimLimit
    ? ` Refused (422, \`claim-limit\`) when you own ${pool.claimLimit} already.`
    : '';
  const reason = pool.reasonField
    ? `the reason, an option of \`${pool.reasonField}\`${pool.releaseReason ? ` (default \`${pool.releaseReason}\`)` : ''}`
    : 'not used by this module';
  return {
    [`${base}/claim`]: {
      parameters: [parameterRef('RecordId')],
      post: {
        tags,
        operationId: `claim${record}`,
        summary: `Take a ${module.name} record from the pool: you become its owner`,
        description:
          'Needs a role that may claim from this pool. Of two claims at once exactly one wins; the other ' +
          `gets 409 (\`claimed\`).${limit}`,
        responses: { 200: answer, ...problems },
      },
    },
    [`${base}/release`]: {
      parameters: [parameterRef('RecordId')],
      post: {
        tags,
        operationId: `release${record}`,
        summary: `Put a ${module.name} record back in the pool (its owner, or someone who may reassign it)`,
        requestBody: {
          required: false,
          content: json({ type: 'object', properties: { reason: { type: 'string', description: reason } } }),
        },
        responses: { 200: answer, 400: responseRef('BadRequest'), ...problems },
      },
    },
  };
}
