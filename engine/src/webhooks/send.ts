import { type OutboundHttp, OutboundRefused, type OutboundResponse } from '../net/request.ts';
import { webhookSignature } from '../workflow/actions/webhook.ts';

/** The response text kept in the delivery log (characters). */
const RESPONSE_EXCERPT = 1000;

/** One POST of a delivery, as the log keeps it. */
export interface AttemptOutcome {
  ok: boolean;
  /** Null when no answer came (refused, timed out). */
  status: number | null;
  durationMs: number;
  error: string | null;
  response: string | null;
}

export interface SendRequest {
  url: string;
  secret: string;
  /** The JSON envelope, as sent and signed. */
  body: string;
  eventId: string;
  event: string;
  deliveryId: string;
  now: Date;
  timeoutMs: number;
}

/**
 * POSTs a delivery: signed like the workflow webhook action (`X-CRM-Signature: t=…,v1=…` over
 * `<t>.<body>`), the event id as `Idempotency-Key` on every attempt, redirects not followed.
 * A 2xx answer delivers it; anything else (another status, no answer in time, an address the
 * outbound policy refuses) fails the attempt.
 */
export async function sendDelivery(http: OutboundHttp, request: SendRequest): Promise<AttemptOutcome> {
  const timestamp = Math.floor(request.now.getTime() / 1000);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let response: OutboundResponse;
  try {
    response = await http.request(request.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': request.eventId,
        'user-agent': 'crm-builder-webhook/1',
        'x-crm-event': request.event,
        'x-crm-delivery': request.deliveryId,
        'x-crm-signature': webhookSignature(request.secret, timestamp, request.body),
      },
      body: request.body,
      timeoutMs: request.timeoutMs,
      maxBodyBytes: RESPONSE_EXCERPT * 4,
    });
  } catch (error) {
    const reason =
      error instanceof OutboundRefused
        ? `refused, never sent: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
    return { ok: false, status: null, durationMs: elapsed(), error: reason, response: null };
  }
  const ok = response.status >= 200 && response.status <= 299;
  return {
    ok,
    status: response.status,
    durationMs: elapsed(),
    error: ok ? null : `answered ${response.status}`,
    response: response.text.slice(0, RESPONSE_EXCERPT),
  };
}
