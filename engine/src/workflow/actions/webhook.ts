import { createHmac } from 'node:crypto';
import { type OutboundPolicy, staticUrlProblem } from '../../net/policy.ts';
import { OutboundFailed, OutboundRefused, type OutboundResponse } from '../../net/request.ts';
import type { ActionContext, KnownSettings, SettingProblem, WorkflowAction } from '../actions.ts';

/** What a webhook attempt may take at most, whatever the task asks (ms). */
const MAX_TIMEOUT = 60_000;
const DEFAULT_TIMEOUT = 10_000;
/** The response body kept in the result variable (characters). */
const MAX_KEPT_BODY = 64_000;

export interface WebhookResponse {
  status: number;
  /** The response body: parsed JSON when it is JSON, else text (cut at 64,000 characters). */
  body: unknown;
  /** The attempt that got this response (1 for the first). */
  attempt: number;
  idempotencyKey: string;
}

/** A setting that cannot work: the attempt fails (and a deploy that sees it refuses the diagram). */
class WebhookFailure extends Error {
  override name = 'WebhookFailure';
  constructor(
    readonly setting: string,
    readonly en: string,
    readonly zh: string,
  ) {
    super(`${setting}: ${en}`);
  }
}

/** The call went out (or was refused on its way) and did not succeed: the attempt fails and is retried. */
class WebhookCallFailure extends Error {
  override name = 'WebhookFailure';
}

const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** Header names a task may not set: the action's own, and those that change how the request is framed. */
const RESERVED_HEADERS = new Set([
  'content-type',
  'idempotency-key',
  'x-crm-signature',
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
]);

function setting(context: ActionContext, name: string): unknown {
  return context.input[name] ?? context.headers[name];
}

function webhookUrl(value: unknown, policy: OutboundPolicy): URL {
  if (typeof value !== 'string' || value === '') {
    throw new WebhookFailure('url', 'must be an http or https URL', '必须是 http 或 https URL');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new WebhookFailure('url', `'${value}' is not a URL`, `“${value}”不是 URL`);
  }
  const refused = staticUrlProblem(url.toString(), policy);
  if (refused) throw new WebhookFailure('url', refused.en, refused['zh-CN']);
  return url;
}

function webhookMethod(value: unknown): (typeof METHODS)[number] {
  if (value === undefined || value === null || value === '') return 'POST';
  const method = String(value).toUpperCase();
  const known = METHODS.find((each) => each === method);
  if (!known) {
    throw new WebhookFailure(
      'method',
      `'${String(value)}' is not one of ${METHODS.join(', ')}`,
      `“${String(value)}”不是 ${METHODS.join('、')} 之一`,
    );
  }
  return known;
}

function timeoutOf(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_TIMEOUT;
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms < 1) {
    throw new WebhookFailure('timeout', 'must be a number of milliseconds', '必须是毫秒数');
  }
  return Math.min(ms, MAX_TIMEOUT);
}

function extraHeaders(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new WebhookFailure(
      'headers',
      'must be an object of header names and values',
      '必须是由请求头名称和值组成的对象',
    );
  }
  const headers: Record<string, string> = {};
  for (const [name, text] of Object.entries(value)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new WebhookFailure('headers', `'${name}' is not a header name`, `“${name}”不是有效的请求头名称`);
    }
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      throw new WebhookFailure(
        'headers',
        `'${name}' is set by the action itself`,
        `请求头“${name}”由动作自行设置，不能指定`,
      );
    }
    headers[name] = String(text).replace(/[\r\n]/g, ' ');
  }
  return headers;
}

/** The deploy-time checks: each setting known then goes through the check its run would make. */
function checkKnownSettings({ constants, headers }: KnownSettings, policy: OutboundPolicy): SettingProblem[] {
  const known = (name: string) => (name in constants ? constants[name] : headers[name]);
  const checks: [string, (value: unknown) => unknown][] = [
    ['url', (value) => webhookUrl(value, policy)],
    ['method', webhookMethod],
    ['timeout', timeoutOf],
    ['headers', extraHeaders],
  ];
  const problems: SettingProblem[] = [];
  for (const [name, check] of checks) {
    if (!(name in constants) && !(name in headers)) continue;
    try {
      check(known(name));
    } catch (error) {
      if (!(error instanceof WebhookFailure)) throw error;
      problems.push({ setting: error.setting, code: 'invalid-setting', en: error.en, 'zh-CN': error.zh });
    }
  }
  return problems;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it with the shared secret. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

function readBody(response: OutboundResponse): unknown {
  const text = response.text.slice(0, MAX_KEPT_BODY);
  if ((response.headers['content-type'] ?? '').includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * `webhook`: POSTs JSON to a URL. Each attempt of the task's job carries the same `Idempotency-Key`
 * (the job's id), so a receiver can drop the repeats that at-least-once delivery brings (a retry
 * after a timeout, a server killed after the call). A non-2xx answer or no answer fails the attempt:
 * the job retries with backoff, then becomes an incident. With a secret, `X-CRM-Signature` signs
 * the timestamp and body.
 */
export function webhookAction(policy: OutboundPolicy = {}): WorkflowAction {
  return {
    type: 'webhook',
    describe: {
      label: { en: 'Call a webhook', 'zh-CN': '调用 Webhook' },
      description: {
        en: 'Send JSON to a URL (POST by default); retried with backoff, the same Idempotency-Key on every attempt',
        'zh-CN': '向 URL 发送 JSON（默认 POST）；失败后退避重试，每次尝试携带相同的 Idempotency-Key',
      },
      inputs: [
        { name: 'url', type: 'text', required: true, label: { en: 'URL', 'zh-CN': 'URL' } },
        {
          name: 'body',
          type: 'any',
          label: {
            en: 'Body (default: process, instance and variables)',
            'zh-CN': '请求体（默认：流程、实例和变量）',
          },
        },
        { name: 'headers', type: 'object', label: { en: 'Extra headers', 'zh-CN': '附加请求头' } },
        {
          name: 'timeout',
          type: 'number',
          label: {
            en: 'Timeout per attempt (ms, default 10000)',
            'zh-CN': '每次尝试的超时（毫秒，默认 10000）',
          },
        },
        {
          name: 'method',
          type: 'text',
          header: true,
          label: {
            en: 'Method: POST (default), PUT, PATCH or DELETE',
            'zh-CN': '方法：POST（默认）、PUT、PATCH 或 DELETE',
          },
        },
        {
          name: 'secret',
          type: 'text',
          header: true,
          label: { en: 'Signing secret (HMAC-SHA256)', 'zh-CN': '签名密钥（HMAC-SHA256）' },
        },
        {
          name: 'resultVariable',
          type: 'text',
          header: true,
          label: { en: 'Result variable (default: response)', 'zh-CN': '结果变量（默认 response）' },
        },
      ],
      outputs: [
        {
          name: 'response',
          type: 'object',
          label: { en: 'status, body, attempt, idempotencyKey', 'zh-CN': '状态码、响应体、尝试次数、幂等键' },
        },
      ],
    },
    checkSettings: (settings) => checkKnownSettings(settings, policy),
    async run(context) {
      const url = webhookUrl(setting(context, 'url'), policy);
      const timeout = timeoutOf(setting(context, 'timeout'));
      const payload =
        context.input.body !== undefined
          ? context.input.body
          : {
              processId: context.processId,
              instanceId: context.instanceId,
              elementId: context.elementId,
              variables: context.variables,
            };
      const body = JSON.stringify(payload ?? null);
      const headers: Record<string, string> = {
        ...extraHeaders(context.input.headers),
        'content-type': 'application/json',
        'idempotency-key': context.idempotencyKey,
        'user-agent': 'crm-builder-webhook/1',
      };
      const secret = setting(context, 'secret');
      if (typeof secret === 'string' && secret !== '') {
        headers['x-crm-signature'] = webhookSignature(secret, Math.floor(context.now.getTime() / 1000), body);
      }
      const method = webhookMethod(setting(context, 'method'));
      let response: OutboundResponse;
      try {
        response = await context.http.request(url, { method, headers, body, timeoutMs: timeout });
      } catch (error) {
        if (error instanceof OutboundRefused) {
          throw new WebhookCallFailure(`${method} ${url.origin}${url.pathname} refused: ${error.message}`);
        }
        const reason = error instanceof OutboundFailed ? error.message : String(error);
        throw new WebhookCallFailure(`${method} ${url.origin}${url.pathname} failed: ${reason}`);
      }
      const answer = readBody(response);
      if (response.status < 200 || response.status > 299) {
        const excerpt = typeof answer === 'string' ? answer : JSON.stringify(answer);
        throw new WebhookCallFailure(
          `${method} ${url.origin}${url.pathname} answered ${response.status}: ${excerpt.slice(0, 200)}`,
        );
      }
      const result: WebhookResponse = {
        status: response.status,
        body: answer,
        attempt: context.attempt,
        idempotencyKey: context.idempotencyKey,
      };
      const variable = context.headers.resultVariable || 'response';
      return { [variable]: result };
    },
  };
}
