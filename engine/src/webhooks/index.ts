export type { WebhookEnvelope } from './envelope.ts';
export { WEBHOOK_EVENTS, WEBHOOK_FILTER_SCOPE, type WebhookInput } from './input.ts';
export {
  type DeliveryAttempt,
  type Webhook,
  type WebhookDelivery,
  type WebhookOptions,
  WebhookService,
} from './service.ts';
