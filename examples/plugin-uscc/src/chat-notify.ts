import { createHmac } from 'node:crypto';
import type { PluginAction } from '@crm/sdk';

export type ChatFlavor = 'dingtalk' | 'feishu';

/**
 * The message a group robot takes. A robot with a signing secret wants `timestamp` and `sign`:
 * DingTalk as query parameters (HMAC-SHA256 of "timestamp\nsecret" keyed by the secret), Feishu in
 * the body (HMAC-SHA256 of nothing keyed by "timestamp\nsecret"), both base64.
 */
export function chatRequest(
  flavor: ChatFlavor,
  url: string,
  text: string,
  secret: string | undefined,
  now: Date,
): { url: string; body: Record<string, unknown> } {
  if (flavor === 'feishu') {
    const body: Record<string, unknown> = { msg_type: 'text', content: { text } };
    if (secret) {
      const timestamp = String(Math.floor(now.getTime() / 1000));
      body.timestamp = timestamp;
      body.sign = createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
    }
    return { url, body };
  }
  const target = new URL(url);
  if (secret) {
    const timestamp = String(now.getTime());
    const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
    target.searchParams.set('timestamp', timestamp);
    target.searchParams.set('sign', sign);
  }
  return { url: target.toString(), body: { msgtype: 'text', text: { content: text } } };
}

interface RobotAnswer {
  errcode?: number;
  code?: number;
  errmsg?: string;
  msg?: string;
}

function robotAnswer(text: string): RobotAnswer {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as RobotAnswer) : {};
  } catch {
    return {};
  }
}

function textInput(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`the input '${name}' must be text`);
  return value;
}

/**
 * `chat-notify`: posts a text message to a DingTalk or Feishu group robot. A refusal (HTTP error,
 * or the robot's own `errcode`/`code` not 0) fails the attempt, which the job runner retries.
 */
export const chatNotifyAction: PluginAction = {
  type: 'chat-notify',
  label: { en: 'Notify a chat group', 'zh-CN': '发送群机器人消息' },
  description: {
    en: 'Posts a text message to a DingTalk or Feishu group robot webhook',
    'zh-CN': '向钉钉或飞书群机器人 Webhook 发送文本消息',
  },
  inputs: [
    { name: 'text', type: 'text', required: true, label: { en: 'Message', 'zh-CN': '消息内容' } },
    {
      name: 'webhook',
      type: 'text',
      required: true,
      header: true,
      label: { en: 'Robot webhook URL', 'zh-CN': '机器人 Webhook 地址' },
    },
    {
      name: 'flavor',
      type: 'text',
      header: true,
      label: { en: 'dingtalk (default) or feishu', 'zh-CN': 'dingtalk（默认）或 feishu' },
    },
    { name: 'secret', type: 'text', header: true, label: { en: 'Signing secret', 'zh-CN': '加签密钥' } },
  ],
  outputs: [{ name: 'chatStatus', type: 'number', label: { en: 'HTTP status', 'zh-CN': 'HTTP 状态码' } }],
  // `http` calls under the server's outbound policy: a robot URL on the server's own network is refused
  async run({ input, headers, now, idempotencyKey, http }) {
    const flavor = headers.flavor === 'feishu' ? 'feishu' : 'dingtalk';
    const text = textInput(input.text, 'text');
    const webhook = textInput(input.webhook ?? headers.webhook, 'webhook');
    const request = chatRequest(flavor, webhook, text, headers.secret || undefined, now);
    const response = await http.request(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(request.body),
      timeoutMs: 10_000,
    });
    const answer = robotAnswer(response.text);
    const code = answer.errcode ?? answer.code ?? 0;
    if (response.status < 200 || response.status > 299 || code !== 0) {
      throw new Error(
        `the chat robot refused the message: HTTP ${response.status}, ${answer.errmsg ?? answer.msg ?? code}`,
      );
    }
    return { chatStatus: response.status };
  },
};
