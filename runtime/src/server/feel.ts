import {
  DefinitionChecker,
  type Engine,
  EngineError,
  type FeelProblem,
  type FeelScope,
  feelCompletions,
  feelFieldsFor,
  feelSampleValues,
  feelScopeFor,
  inspectFeel,
  MANUAL_ACTION_SCOPE,
  type ModuleDefinition,
  rollupFilterScope,
  tryFeel,
  WEBHOOK_FILTER_SCOPE,
  type Workspace,
} from '@crm/engine';
import { Hono } from 'hono';
import { adminOnly } from './admin-only.ts';
import { isPlainObject, readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';
import { queryParams } from './params.ts';
import { httpProblem } from './problem.ts';

const MAX_EXPRESSION = 10_000;

/** Scopes checked by name instead of a module's fields. */
const NAMED_SCOPES: Record<string, FeelScope> = {
  'record-event': WEBHOOK_FILTER_SCOPE,
  'record-action': MANUAL_ACTION_SCOPE,
};

interface FeelRequest {
  definition: ModuleDefinition;
  scope: FeelScope;
  expression: string;
  /** The sub-table whose rows the expression reads, if it is a row rule or row formula. */
  subtable?: string;
}

/** A problem of an expression with its place in the text, as the designer underlines it. */
function problemBody(problem: FeelProblem) {
  return { kind: problem.kind, message: problem.message, from: problem.from, to: problem.to };
}

function optionalName(value: unknown, pointer: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '' || value.length > 64) {
    throw httpProblem('invalid-request', pointer, 'type', 'must be a field name');
  }
  return value;
}

function expressionOf(expression: unknown): string {
  if (typeof expression !== 'string' || expression.length > MAX_EXPRESSION) {
    throw httpProblem(
      'invalid-request',
      '/expression',
      'type',
      `must be a FEEL expression of at most ${MAX_EXPRESSION} characters`,
    );
  }
  return expression;
}

/**
 * `/api/meta/feel` (administrators): the designer's FEEL tooling. An expression is checked against a
 * module's fields: the `definition` sent (the designer's unsaved state), or else the module's draft,
 * or else its published definition; `field` names the formula being written (it cannot read itself),
 * or a rollup whose filter is written (it reads one source row); `subtable` a sub-table whose row
 * the expression reads (a row rule or row formula).
 */
export function feelRoutes(engine: Engine, workspace: Workspace): Hono<ApiEnv> {
  const { definitions } = workspace;
  const checker = new DefinitionChecker(engine.registry);
  const app = new Hono<ApiEnv>();
  app.use('*', adminOnly);

  async function definitionOf(module: unknown, sent: unknown): Promise<ModuleDefinition> {
    if (sent !== undefined) {
      if (!isPlainObject(sent))
        throw httpProblem('invalid-request', '/definition', 'type', 'must be an object');
      const problems = checker.shape(sent as unknown as ModuleDefinition);
      if (problems.length > 0) {
        throw new EngineError(
          'invalid-definition',
          'the module definition is not valid',
          problems.map((p) => ({ ...p, pointer: `/definition${p.pointer}` })),
        );
      }
      return sent as unknown as ModuleDefinition;
    }
    if (typeof module !== 'string' || module === '' || module.length > 64) {
      throw httpProblem('invalid-request', '/module', 'required', 'name the module (or send its definition)');
    }
    const state = await definitions.get(module);
    const definition = state.draft ?? state.published;
    if (!definition)
      throw httpProblem('not-found', '/module', 'not-found', `module '${module}' has no definition`);
    return definition;
  }

  async function feelRequest(body: unknown): Promise<FeelRequest & { body: Record<string, unknown> }> {
    if (!isPlainObject(body))
      throw httpProblem('invalid-request', '', 'type', 'the body must be a JSON object');
    const expression = expressionOf(body.expression);
    const definition = await definitionOf(body.module, body.definition);
    const field = optionalName(body.field, '/field');
    const subtable = optionalName(body.subtable, '/subtable');
    const scope =
      (subtable === undefined && (await rollupScope(definition, field))) ||
      feelScopeFor(definition, engine.registry, field, subtable);
    return { definition, scope, expression, subtable, body };
  }

  /** A rollup's filter reads its source rows: the scope of the rollup field `field`, if it is one. */
  async function rollupScope(definition: ModuleDefinition, field: string | undefined) {
    const isRollup = definition.fields.some((f) => f.name === field && f.type === 'rollup');
    if (field === undefined || !isRollup) return undefined;
    const modules = new Map<string, ModuleDefinition>();
    for (const summary of await definitions.list()) {
      const state = await definitions.get(summary.id);
      const other = state.draft ?? state.published;
      if (other && !summary.archived) modules.set(other.id, other);
    }
    modules.set(definition.id, definition);
    return rollupFilterScope(definition, field, modules, engine.registry);
  }

  app.get('/completions', async (c) => {
    const params = queryParams(c, ['module', 'field', 'subtable']);
    const definition = await definitionOf(params.module, undefined);
    const field = optionalName(params.field, '/field');
    return c.json(
      feelCompletions(definition, engine.registry, field, optionalName(params.subtable, '/subtable')),
    );
  });

  app.post('/check', async (c) => {
    const body = await readJsonBody(c);
    // a webhook filter or record trigger reads `old`, `new` and `actor`, a manual action's condition
    // `record` and `actor`, rather than one module's fields
    const named = isPlainObject(body) ? NAMED_SCOPES[String(body.scope)] : undefined;
    const { scope, expression } = named
      ? { scope: named, expression: expressionOf(isPlainObject(body) ? body.expression : undefined) }
      : await feelRequest(body);
    const inspection = inspectFeel(expression, scope);
    return c.json({
      valid: inspection.problems.length === 0,
      problems: inspection.problems.map(problemBody),
      resultType: inspection.resultType,
    });
  });

  app.post('/evaluate', async (c) => {
    const { definition, scope, expression, subtable, body } = await feelRequest(await readJsonBody(c));
    const { record, recordId } = body;
    if (subtable !== undefined && recordId !== undefined) {
      throw httpProblem(
        'invalid-request',
        '/recordId',
        'type',
        'a row expression is tried on sample row values',
      );
    }
    if ((record === undefined) === (recordId === undefined)) {
      throw httpProblem(
        'invalid-request',
        '/record',
        'required',
        "send either 'record' (sample values) or 'recordId'",
      );
    }
    let values: Record<string, unknown>;
    if (recordId !== undefined) {
      if (typeof recordId !== 'string' || recordId.length > 64) {
        throw httpProblem('invalid-request', '/recordId', 'type', 'must be a record id');
      }
      // read as the caller: fields they may not read stay out of the trial, as out of any form
      const published = workspace.catalog.byId(definition.id)?.name ?? definition.name;
      values = await workspace.records.get(published, recordId, c.var.actor);
    } else {
      if (!isPlainObject(record)) {
        throw httpProblem('invalid-request', '/record', 'type', 'must be an object of field values by name');
      }
      values = record;
    }
    const trial = tryFeel(expression, scope, feelSampleValues(feelFieldsFor(definition, subtable), values));
    return c.json(
      trial.ok
        ? { ok: true, value: trial.value, type: trial.type, warnings: trial.warnings }
        : { ok: false, problems: trial.problems.map(problemBody) },
    );
  });

  return app;
}
