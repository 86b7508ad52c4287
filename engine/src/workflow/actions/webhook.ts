import { createHmac } from 'node:crypto';
import type { ActionContext, WorkflowAction } from '../actions.ts';

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

class WebhookFailure extends Error {
  override name = 'WebhookFailure';
}

function setting(context: ActionContext, name: string): unknown {
  return context.input[name] ?? context.headers[name];
}

function webhookUrl(value: unknown): URL {
  if (typeof value !== 'string' || value === '') {
    throw new WebhookFailure("the webhook needs the input 'url' (an http or https URL)");
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new WebhookFailure(`'${value}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebhookFailure(`the webhook URL must be http or https, not ${url.protocol}`);
  }
  return url;
}

function timeoutOf(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_TIMEOUT;
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms < 1) throw new WebhookFailure("'timeout' must be a number of milliseconds");
  return Math.min(ms, MAX_TIMEOUT);
}

function extraHeaders(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new WebhookFailure("'headers' must be an object of header names and values");
  }
  return Object.fromEntries(Object.entries(value).map(([name, text]) => [name, String(text)]));
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it with the shared secret. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

async function readBody(response: Response): Promise<unknown> {
  const text = (await response.text()).slice(0, MAX_KEPT_BODY);
  if ((response.headers.get('content-type') ?? '').includes('json')) {
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
export function webhookAction(): WorkflowAction {
  return {
    type: 'webhook',
    describe: {
      label: { en: 'Call a webhook', 'zh-CN': '调用 Webhook' },
      description: {
        en: 'POST JSON to a URL; retried with backoff, the same Idempotency-Key on every attempt',
        'zh-CN': '向 URL 以 POST 发送 JSON；失败后退避重试，每次尝试携带相同的 Idempotency-Key',
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
    async run(context) {
      const url = webhookUrl(setting(context, 'url'));
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
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers,
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeout),
        });
      } catch (error) {
        const reason =
          error instanceof Error && error.name === 'TimeoutError'
            ? `no answer in ${timeout} ms`
            : String(error);
        throw new WebhookFailure(`POST ${url.origin}${url.pathname} failed: ${reason}`);
      }
      const answer = await readBody(response);
      if (response.status < 200 || response.status > 299) {
        const excerpt = typeof answer === 'string' ? answer : JSON.stringify(answer);
        throw new WebhookFailure(
          `POST ${url.origin}${url.pathname} answered ${response.status}: ${excerpt.slice(0, 200)}`,
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
