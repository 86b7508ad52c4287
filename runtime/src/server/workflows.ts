import { type InstanceState, labelHistory, labelInstances, type Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { adminOnly } from './admin-only.ts';
import { principalOf } from './auth.ts';
import { isPlainObject, readJsonBody, readXmlBody } from './body.ts';
import type { ApiEnv } from './env.ts';
import { booleanParam, integerParam } from './params.ts';
import { HttpProblem, httpProblem } from './problem.ts';

/** The engine's own cap on an instance page (the OpenAPI document says the same). */
const MAX_INSTANCE_PAGE = 500;

function objectBody(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value))
    throw httpProblem('invalid-request', '', 'type', 'the body must be a JSON object');
  return value;
}

function optionalText(value: unknown, pointer: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw httpProblem('invalid-request', pointer, 'type', 'must be text');
  return value;
}

/** `record` of a start: `{ module, id }` of the record the instance is about. */
function recordOf(value: unknown): { module: string; id: string } | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value))
    throw httpProblem('invalid-request', '/record', 'type', 'must be { module, id }');
  if (typeof value.module !== 'string' || value.module === '') {
    throw httpProblem('invalid-request', '/record/module', 'required', 'must be a module name');
  }
  if (typeof value.id !== 'string' || value.id === '') {
    throw httpProblem('invalid-request', '/record/id', 'required', 'must be a record id');
  }
  return { module: value.module, id: value.id };
}

/**
 * `/api/workflows`: deploy BPMN, start instances, operate them (admins); `/tasks`: everyone's own
 * open user tasks and their completion.
 */
export function workflowRoutes(workspace: Workspace): Hono<ApiEnv> {
  const wf = workspace.workflows;
  const app = new Hono<ApiEnv>();

  // Tasks: for everyone, on their own tasks /////////////////////////////////////////////////////////

  app.get('/tasks', async (c) => {
    const principal = principalOf(c);
    return c.json(await wf.queries.tasksFor(principal.user.id, principal.roles));
  });

  app.post('/tasks/:id/complete', async (c) => {
    const principal = principalOf(c);
    const body = objectBody(await readJsonBody(c, { optional: true }));
    const task = await wf.completeTask(c.req.param('id'), body.variables, c.var.actor, {
      asAdmin: principal.user.isAdmin,
      groups: principal.roles,
    });
    return c.json(task);
  });

  // Everything else: administrators //////////////////////////////////////////////////////////////

  app.use('/definitions/*', adminOnly);
  app.use('/definitions', adminOnly);
  app.use('/instances/*', adminOnly);
  app.use('/instances', adminOnly);
  app.use('/incidents/*', adminOnly);
  app.use('/incidents', adminOnly);
  app.use('/messages', adminOnly);
  app.use('/stuck', adminOnly);
  app.use('/actions', adminOnly);
  app.use('/lint', adminOnly);

  // the modeler's palette and its check of a diagram before deploying it
  app.get('/actions', (c) => c.json(wf.actions.describe()));
  app.post('/lint', async (c) => c.json(await wf.lint(await readXmlBody(c))));
  app.use('/schedules', adminOnly);

  app.post('/definitions', async (c) => c.json(await wf.deploy(await readXmlBody(c), c.var.actor), 201));
  app.get('/definitions', async (c) => c.json(await wf.definitions()));
  app.get('/definitions/:processId/versions', async (c) =>
    c.json(await wf.versions(c.req.param('processId'))),
  );

  app.post('/definitions/:processId/instances', async (c) => {
    const body = objectBody(await readJsonBody(c, { optional: true }));
    const version = body.version;
    if (version !== undefined && (!Number.isInteger(version) || (version as number) < 1)) {
      throw httpProblem('invalid-request', '/version', 'type', 'must be a version number');
    }
    const instance = await wf.start(
      c.req.param('processId'),
      {
        variables: body.variables,
        businessKey: optionalText(body.businessKey, '/businessKey'),
        version: version as number | undefined,
        record: recordOf(body.record),
      },
      c.var.actor,
    );
    return c.json(instance, 201, { Location: `/api/workflows/instances/${instance.id}` });
  });

  app.get('/definitions/:processId/versions/:version', async (c) => {
    const version = integerParam(c.req.param('version'), 'version', 1, Number.MAX_SAFE_INTEGER) ?? 0;
    return c.json(await wf.version(c.req.param('processId'), version));
  });

  // the monitor: instances with their starters' names and records' titles, read with the admin's access
  app.get('/instances', async (c) => {
    const query = c.req.query();
    const instances = await wf.queries.instances({
      processId: query.processId,
      state: query.state as InstanceState | undefined,
      businessKey: query.businessKey,
      module: query.module,
      recordId: query.recordId,
      startedFrom: query.startedFrom,
      startedTo: query.startedTo,
      incidents: booleanParam(query.incidents, 'incidents'),
      limit: integerParam(query.limit, 'limit', 1, MAX_INSTANCE_PAGE),
      before: query.before,
    });
    return c.json(await labelInstances(instances, workspace.monitorLabels, c.var.actor));
  });
  app.get('/instances/:id', async (c) => {
    const instance = await wf.queries.instance(c.req.param('id'));
    const [labelled] = await labelInstances([instance], workspace.monitorLabels, c.var.actor);
    return c.json(labelled);
  });
  app.get('/instances/:id/history', async (c) =>
    c.json(await labelHistory(await wf.queries.history(c.req.param('id')), workspace.monitorLabels)),
  );
  app.get('/instances/:id/activity', async (c) => c.json(await wf.queries.activity(c.req.param('id'))));
  app.post('/instances/:id/cancel', async (c) => {
    const body = objectBody(await readJsonBody(c, { optional: true }));
    const reason = optionalText(body.reason, '/reason');
    return c.json(await wf.cancel(c.req.param('id'), c.var.actor, reason));
  });

  app.get('/incidents', async (c) =>
    c.json(
      await wf.queries.incidents({
        open: c.req.query('all') !== 'true',
        processId: c.req.query('processId'),
        instanceId: c.req.query('instanceId'),
      }),
    ),
  );
  app.post('/incidents/:id/retry', async (c) => {
    await wf.retryIncident(c.req.param('id'), c.var.actor);
    return c.body(null, 204);
  });

  app.post('/messages', async (c) => {
    const body = objectBody(await readJsonBody(c));
    if (typeof body.name !== 'string' || body.name === '') {
      throw httpProblem('invalid-request', '/name', 'required', 'the message needs a name');
    }
    const key = body.correlationKey;
    if (key !== undefined && key !== null && typeof key !== 'string' && typeof key !== 'number') {
      throw httpProblem('invalid-request', '/correlationKey', 'type', 'must be text or a number');
    }
    const result = await wf.correlateMessage(
      body.name,
      key === undefined || key === null ? null : String(key),
      body.variables,
      c.var.actor,
    );
    if (result.correlated.length === 0 && result.started.length === 0) {
      throw new HttpProblem(
        'not-found',
        `nothing waits for the message '${body.name}' with this correlation key`,
      );
    }
    return c.json(result);
  });

  app.get('/stuck', async (c) => c.json(await wf.sweep()));
  app.get('/schedules', async (c) =>
    c.json(await wf.queries.schedules(wf.timeZone, integerParam(c.req.query('next'), 'next', 1, 50) ?? 5)),
  );
  return app;
}
