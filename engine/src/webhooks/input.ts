import { EngineError, type Problem } from '../errors.ts';
import { compileFeel } from '../expressions/compile.ts';
import { FeelCompileError } from '../expressions/errors.ts';
import type { CompiledFeel, FeelScope } from '../expressions/types.ts';
import { type OutboundPolicy, staticUrlProblem } from '../net/policy.ts';
import type { RecordWriteKind } from '../records/observers.ts';

export const WEBHOOK_EVENTS: readonly RecordWriteKind[] = ['created', 'updated', 'deleted'];

/** What an admin sends to create a subscription (all of it) or change one (any part of it). */
export interface WebhookInput {
  url: string;
  description: string | null;
  /** Module names. */
  modules: string[];
  events: RecordWriteKind[];
  /** FEEL over `old`, `new` and `actor`; null: every event. */
  filter: string | null;
  active: boolean;
}

/** What the filter sees: the record before (null on create) and after (null on delete), and who wrote. */
export const WEBHOOK_FILTER_SCOPE: FeelScope = {
  variables: { old: 'context', new: 'context', actor: 'string' },
};

const KNOWN = new Set(['url', 'description', 'modules', 'events', 'filter', 'active']);

export function compileFilter(source: string): CompiledFeel {
  return compileFeel(source, WEBHOOK_FILTER_SCOPE);
}

function problem(pointer: string, code: string, en: string, zh: string): Problem {
  return { pointer, code, message: en, messages: { en, 'zh-CN': zh } };
}

/**
 * Checks a subscription body: a complete one for a create, any subset of it for a change (`partial`).
 * `moduleExists` says whether a module name is published. Throws one error listing every problem.
 */
export function checkWebhookInput(
  body: unknown,
  partial: boolean,
  moduleExists: (name: string) => boolean,
  outbound: OutboundPolicy = {},
): Partial<WebhookInput> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EngineError('invalid-input', 'the webhook must be an object', [
      problem('', 'type', 'the webhook must be an object', 'Webhook 必须是一个对象'),
    ]);
  }
  const input = body as Record<string, unknown>;
  const problems: Problem[] = [];
  const out: Partial<WebhookInput> = {};
  for (const key of Object.keys(input)) {
    if (!KNOWN.has(key)) {
      problems.push(problem(`/${key}`, 'unknown', 'is not a known property', '不是已知的属性'));
    }
  }
  const has = (key: string) => input[key] !== undefined;
  const missing = (key: string) => problems.push(problem(`/${key}`, 'required', 'is required', '为必填项'));

  if (has('url')) {
    const url = checkUrl(input.url, outbound);
    if (typeof url === 'string') out.url = url;
    else problems.push(url);
  } else if (!partial) missing('url');

  if (has('description')) {
    const text = input.description;
    if (text === null || text === '') out.description = null;
    else if (typeof text === 'string' && text.length <= 500) out.description = text;
    else
      problems.push(
        problem(
          '/description',
          'type',
          'must be text of at most 500 characters',
          '必须是不超过 500 个字符的文本',
        ),
      );
  } else if (!partial) out.description = null;

  if (has('modules')) {
    const modules = input.modules;
    if (!Array.isArray(modules) || modules.length === 0) {
      problems.push(
        problem('/modules', 'type', 'must be a non-empty list of module names', '必须是非空的模块名称列表'),
      );
    } else {
      modules.forEach((name, index) => {
        if (typeof name !== 'string' || !moduleExists(name)) {
          problems.push(
            problem(
              `/modules/${index}`,
              'unknown-module',
              `'${String(name)}' is not a published module`,
              `“${String(name)}”不是已发布的模块`,
            ),
          );
        }
      });
      out.modules = [...new Set(modules.map(String))];
    }
  } else if (!partial) missing('modules');

  if (has('events')) {
    const events = input.events;
    if (!Array.isArray(events) || events.length === 0) {
      problems.push(problem('/events', 'type', 'must be a non-empty list of events', '必须是非空的事件列表'));
    } else {
      events.forEach((event, index) => {
        if (!WEBHOOK_EVENTS.includes(event as RecordWriteKind)) {
          problems.push(
            problem(
              `/events/${index}`,
              'unknown-event',
              `'${String(event)}' is not an event (created, updated, deleted)`,
              `“${String(event)}”不是有效的事件（created、updated、deleted）`,
            ),
          );
        }
      });
      out.events = WEBHOOK_EVENTS.filter((event) => events.includes(event));
    }
  } else if (!partial) missing('events');

  if (has('filter')) {
    const filter = input.filter;
    if (filter === null || (typeof filter === 'string' && filter.trim() === '')) out.filter = null;
    else if (typeof filter !== 'string') {
      problems.push(
        problem('/filter', 'type', 'must be a FEEL expression or null', '必须是 FEEL 表达式或 null'),
      );
    } else {
      try {
        compileFilter(filter);
        out.filter = filter.trim();
      } catch (error) {
        const reason = error instanceof FeelCompileError ? error.message : String(error);
        problems.push(
          problem('/filter', 'feel', `is not a valid filter: ${reason}`, `不是有效的过滤条件：${reason}`),
        );
      }
    }
  } else if (!partial) out.filter = null;

  if (has('active')) {
    if (typeof input.active === 'boolean') out.active = input.active;
    else problems.push(problem('/active', 'type', 'must be true or false', '必须是 true 或 false'));
  } else if (!partial) out.active = true;

  if (problems.length > 0) {
    throw new EngineError(
      'invalid-input',
      `the webhook is not valid: ${problems[0]?.pointer} ${problems[0]?.message}`,
      problems,
    );
  }
  return out;
}

function checkUrl(value: unknown, outbound: OutboundPolicy): string | Problem {
  const bad = problem(
    '/url',
    'url',
    'must be an absolute http or https URL',
    '必须是完整的 http 或 https URL',
  );
  if (typeof value !== 'string' || value.length > 2000) return bad;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad;
    if (url.username || url.password) {
      return problem(
        '/url',
        'url-credentials',
        'must not carry a user name or password (the signature authenticates the sender)',
        '不能包含用户名或密码（签名用于验证发送方）',
      );
    }
    const refused = staticUrlProblem(url.toString(), outbound);
    if (refused) {
      return problem(
        '/url',
        'url-blocked',
        `is not allowed: ${refused.en}`,
        `不允许使用：${refused['zh-CN']}`,
      );
    }
    return url.toString();
  } catch {
    return bad;
  }
}
