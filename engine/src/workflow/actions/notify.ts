import type { NotificationService, NotificationText } from '../../notifications/service.ts';
import type { ActionContext, WorkflowAction } from '../actions.ts';
import { compileExpr, type Expr, type Variables } from '../expression.ts';
import type { WorkflowProblem } from '../problems.ts';
import { type RecipientRules, resolveRecipients } from './recipients.ts';

const PLACEHOLDER = /\{\{(.+?)\}\}/g;

/**
 * Texts with `{{ FEEL }}` placeholders (`Quote {{record.title}} needs your approval`), each
 * expression compiled once and evaluated over the process variables.
 */
class Templates {
  readonly #compiled = new Map<string, Expr | null>();

  render(template: string, variables: Variables): string {
    return template.replace(PLACEHOLDER, (_, source: string) => {
      const expr = this.#expr(source.trim());
      if (!expr) throw new Error(`the placeholder {{${source}}} is not a valid FEEL expression`);
      const value = expr.evaluate(variables);
      if (value === null || value === undefined) return '';
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    });
  }

  #expr(source: string): Expr | null {
    let expr = this.#compiled.get(source);
    if (expr === undefined) {
      const problems: WorkflowProblem[] = [];
      expr = compileExpr(`=${source}`, '', 'template', problems) ?? null;
      this.#compiled.set(source, expr);
    }
    return expr;
  }
}

function setting(context: ActionContext, name: string): unknown {
  return context.input[name] ?? context.headers[name];
}

/** One text per locale when a Chinese one is given (`titleZh`), else the one text. */
function localeText(templates: Templates, context: ActionContext, name: string): NotificationText | null {
  const en = setting(context, name);
  const zh = setting(context, `${name}Zh`);
  if (en === undefined || en === null || en === '') return null;
  const render = (value: unknown) => templates.render(String(value), context.variables);
  return zh === undefined || zh === null || zh === '' ? render(en) : { en: render(en), 'zh-CN': render(zh) };
}

/**
 * `notify`: an in-app notification to users named by id, role, department head or a user field of the
 * flow's record, with title and body as texts with `{{ FEEL }}` placeholders, linking to the record and
 * the instance. Written in the transaction that completes the task: sent exactly once.
 */
export function notifyAction(notifications: NotificationService, schema: string): WorkflowAction {
  const templates = new Templates();
  return {
    type: 'notify',
    describe: {
      label: { en: 'Notify users', 'zh-CN': '通知用户' },
      description: {
        en: 'An in-app notification to users, roles, department heads or the users of a record field',
        'zh-CN': '向用户、角色、部门负责人或记录中人员字段的用户发送站内通知',
      },
      inputs: [
        { name: 'users', type: 'list', label: { en: 'Users (ids)', 'zh-CN': '用户（id）' } },
        { name: 'roles', type: 'list', label: { en: 'Roles (ids)', 'zh-CN': '角色（id）' } },
        {
          name: 'departmentHeadOf',
          type: 'list',
          label: {
            en: 'Department head of (user ids, e.g. submitter)',
            'zh-CN': '以下用户的部门负责人（如 submitter）',
          },
        },
        {
          name: 'userFields',
          type: 'list',
          label: { en: "User fields of the flow's record", 'zh-CN': '流程记录中的人员字段' },
        },
        {
          name: 'title',
          type: 'text',
          required: true,
          label: { en: 'Title ({{ FEEL }} placeholders)', 'zh-CN': '标题（可含 {{ FEEL }} 占位符）' },
        },
        { name: 'titleZh', type: 'text', label: { en: 'Title in Chinese', 'zh-CN': '中文标题' } },
        {
          name: 'body',
          type: 'text',
          label: { en: 'Body ({{ FEEL }} placeholders)', 'zh-CN': '正文（可含 {{ FEEL }} 占位符）' },
        },
        { name: 'bodyZh', type: 'text', label: { en: 'Body in Chinese', 'zh-CN': '中文正文' } },
      ],
      outputs: [
        { name: 'notified', type: 'list', label: { en: 'The users notified', 'zh-CN': '已通知的用户' } },
      ],
    },
    async transactional(tx, context) {
      const title = localeText(templates, context, 'title');
      if (title === null) throw new Error("the notification needs the input 'title'");
      const rules: RecipientRules = {
        users: setting(context, 'users'),
        roles: setting(context, 'roles'),
        departmentHeadOf: setting(context, 'departmentHeadOf'),
        userFields: setting(context, 'userFields'),
      };
      const recipients = await resolveRecipients(tx, schema, rules, context.variables);
      if (recipients.length === 0) {
        throw new Error('no active user matches the recipients (users, roles, departmentHeadOf, userFields)');
      }
      const { variables } = context;
      await notifications.send(
        {
          recipients,
          kind: 'workflow',
          title,
          body: localeText(templates, context, 'body'),
          link: {
            instanceId: context.instanceId,
            ...(typeof variables.module === 'string' ? { module: variables.module } : {}),
            ...(typeof variables.recordId === 'string' ? { recordId: variables.recordId } : {}),
          },
        },
        tx,
      );
      return { [context.headers.resultVariable || 'notified']: recipients };
    },
  };
}
