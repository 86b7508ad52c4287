import type { ModuleDefinition } from '../definitions/types.ts';
import type { ActionRegistry, KnownSettings } from './actions.ts';
import type { Variables } from './expression.ts';
import type { FlowNode, ProcessGraph } from './model.ts';
import { lintProblem, type WorkflowProblem } from './problems.ts';

/** What is known at deploy of a service task's settings. */
function knownSettings(
  node: FlowNode,
  recordModule: string | null,
  module: KnownSettings['module'],
): KnownSettings {
  const constants: Variables = {};
  const contextKeys: Record<string, string[]> = {};
  const inputs = new Set<string>();
  for (const { source, target } of node.inputs) {
    inputs.add(target);
    const literal = /^=\s*\{/.test(source.source);
    if (!source.constant && !literal) continue;
    let value: unknown;
    try {
      // a context literal's keys stand whatever its values read (unknown variables are null here)
      value = source.evaluate({});
    } catch {
      // it fails at run time with its own message
      continue;
    }
    if (source.constant) constants[target] = value;
    if (literal && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      contextKeys[target] = Object.keys(value);
    }
  }
  return { headers: node.job?.headers ?? {}, inputs, constants, contextKeys, recordModule, module };
}

/**
 * Checks the service tasks of compiled processes against their actions: every required input is
 * mapped (or given as a header), and each action's own checks of the settings known at deploy (a
 * webhook's URL and method, a record action's module and fields). Problems name the element and
 * the setting.
 */
export async function actionSettingProblems(
  processes: ProcessGraph[],
  actions: ActionRegistry,
  module: (name: string) => Promise<ModuleDefinition | null>,
): Promise<WorkflowProblem[]> {
  const problems: WorkflowProblem[] = [];
  for (const process of processes) {
    for (const node of process.nodes.values()) {
      const action = node.job ? actions.get(node.job.type) : undefined;
      if (!action) continue;
      const settings = knownSettings(node, process.record?.module ?? null, module);
      for (const input of action.describe?.inputs ?? []) {
        if (!input.required || settings.inputs.has(input.name) || input.name in settings.headers) continue;
        problems.push(
          lintProblem(node.id, 'missing-setting', {
            en: `the ${node.job?.type} task needs the ${input.header ? 'header' : 'input'} '${input.name}'`,
            'zh-CN': `${node.job?.type} 任务需要${input.header ? '任务头' : '输入'} '${input.name}'`,
          }),
        );
      }
      for (const problem of (await action.checkSettings?.(settings)) ?? []) {
        problems.push(
          lintProblem(node.id, problem.code, {
            en: `${problem.setting}: ${problem.en}`,
            'zh-CN': `${problem.setting}：${problem['zh-CN']}`,
          }),
        );
      }
    }
  }
  return problems;
}
