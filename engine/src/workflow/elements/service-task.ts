import type { ElementKind } from '../model.ts';

/**
 * Service tasks: `zeebe:taskDefinition type` names an action of the registry. Pure actions
 * (set-variables) run inline; the others become a job the runner executes with retries.
 */
export const serviceTask: ElementKind = {
  types: ['bpmn:ServiceTask'],
  compile(element, node, context) {
    const definition = context.extension(element, 'zeebe:TaskDefinition');
    const type = (definition?.type as string | undefined)?.trim();
    if (!type) {
      context.refuse(node.id, 'missing-task-type', {
        en: 'a service task needs zeebe:taskDefinition type (the action to run)',
        'zh-CN': '服务任务需要 zeebe:taskDefinition 的 type（要执行的动作）',
      });
      return;
    }
    if (!context.isKnownJobType(type)) {
      context.refuse(node.id, 'unknown-task-type', {
        en: `no action is registered for the task type '${type}'`,
        'zh-CN': `没有为任务类型 '${type}' 注册动作`,
      });
      return;
    }
    const retriesText = (definition?.retries as string | undefined)?.trim();
    const retries = retriesText ? Number(retriesText) : 3;
    if (!Number.isInteger(retries) || retries < 1 || retries > 100) {
      context.refuse(node.id, 'invalid-retries', {
        en: 'retries must be a whole number from 1 to 100',
        'zh-CN': '重试次数必须是 1 到 100 的整数',
      });
      return;
    }
    const headers: Record<string, string> = {};
    const taskHeaders = context.extension(element, 'zeebe:TaskHeaders');
    for (const header of (taskHeaders?.values as { key?: string; value?: string }[] | undefined) ?? []) {
      if (header.key) headers[header.key] = header.value ?? '';
    }
    node.job = { type, retries, headers };
  },
  enter(run, token, node) {
    const job = node.job;
    if (!job) return;
    const inline = run.services.inlineAction(job.type);
    if (inline) {
      const result = inline({ ...(token.variables ?? {}) }, job.headers);
      run.leave(token, result);
      return;
    }
    run.changes.jobInserts.push(
      run.jobRow({
        instance_id: run.instance.id,
        token_id: token.id,
        element_id: node.id,
        kind: 'service',
        retries: job.retries,
        payload: { type: job.type },
      }),
    );
    run.wait(token, 'job');
  },
};
