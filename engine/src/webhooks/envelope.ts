import type { RecordWrite } from '../records/observers.ts';

/** What every write changes by itself: not a change the receiver asked about. */
const BOOKKEEPING = new Set(['version', 'updated_at', 'updated_by']);

/** The JSON body of a delivery. */
export interface WebhookEnvelope {
  /** The event's id: the same for every attempt and every subscription (the `Idempotency-Key`). */
  id: string;
  type: `record.${RecordWrite['kind']}`;
  module: string;
  recordId: string;
  occurredAt: string;
  actor: { id: string | null; via: string };
  data: {
    /** The record after the write (before it, for a delete): every stored value. */
    record: Record<string, unknown>;
    /** Updates: the changed fields' values before the write. */
    previous?: Record<string, unknown>;
  };
}

export function envelopeOf(eventId: string, write: RecordWrite, occurredAt: Date): WebhookEnvelope {
  const record = (write.after ?? write.before ?? {}) as Record<string, unknown>;
  const envelope: WebhookEnvelope = {
    id: eventId,
    type: `record.${write.kind}`,
    module: write.module.name,
    recordId: write.id,
    occurredAt: occurredAt.toISOString(),
    actor: { id: write.actor.userId, via: write.actor.via ?? 'system' },
    data: { record },
  };
  if (write.kind === 'updated' && write.before && write.after) {
    const before = write.before as Record<string, unknown>;
    const previous: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(before), ...Object.keys(record)])) {
      if (BOOKKEEPING.has(key)) continue;
      if (JSON.stringify(before[key] ?? null) !== JSON.stringify(record[key] ?? null)) {
        previous[key] = before[key] ?? null;
      }
    }
    envelope.data.previous = previous;
  }
  return envelope;
}
