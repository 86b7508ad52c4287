import type { Webhook, WebhookDelivery } from '@crm/engine/browser';
import { api } from '@crm/ui';

export type { Webhook, WebhookDelivery };

export type WebhookEvent = Webhook['events'][number];
export const WEBHOOK_EVENTS: WebhookEvent[] = ['created', 'updated', 'deleted'];

export interface WebhookSettings {
  url: string;
  description: string | null;
  modules: string[];
  events: WebhookEvent[];
  filter: string | null;
  active: boolean;
}

const base = '/api/admin/webhooks';
const encode = encodeURIComponent;

export const webhookApi = {
  list: () => api.get<{ data: Webhook[] }>(base),
  create: (settings: WebhookSettings) => api.post<Webhook & { secret: string }>(base, settings),
  update: (id: string, settings: Partial<WebhookSettings>) =>
    api.patch<Webhook>(`${base}/${encode(id)}`, settings),
  remove: (id: string) => api.delete<void>(`${base}/${encode(id)}`),
  rotateSecret: (id: string) => api.post<{ secret: string }>(`${base}/${encode(id)}/rotate-secret`),
  deliveries: (id: string) => api.get<{ data: WebhookDelivery[] }>(`${base}/${encode(id)}/deliveries`),
  redeliver: (id: string, delivery: string) =>
    api.post<WebhookDelivery>(`${base}/${encode(id)}/deliveries/${encode(delivery)}/redeliver`),
};
