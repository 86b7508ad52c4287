import { EngineError } from '@crm/engine';
import { describe, expect, it, vi } from 'vitest';
import { HttpProblem, problemFor, problemResponse } from './problem.ts';

describe('problem documents', () => {
  it('maps engine errors to statuses, keeping each problem and the current record', () => {
    const current = { id: 'r1', version: 3 };
    const stale = new EngineError(
      'conflict',
      'stale',
      [{ pointer: '/version', code: 'stale', message: 'now 3' }],
      {
        current,
      },
    );
    expect(problemFor(stale, '/x').document).toMatchObject({
      type: 'urn:crm:problem:conflict',
      status: 409,
      instance: '/x',
      errors: [{ pointer: '/version', code: 'stale', detail: 'now 3' }],
      current,
    });
    const statuses = (['invalid-record', 'invalid-definition', 'invalid-query', 'not-found'] as const).map(
      (kind) => problemFor(new EngineError(kind, kind), '/').document.status,
    );
    expect(statuses).toEqual([422, 422, 400, 404]);
  });

  it('answers a publish blocked by stored data with 409', () => {
    const refused = new EngineError('migration-refused', 'refused', [
      { pointer: '/modules/a/fields/0', code: 'duplicates', message: 'duplicates' },
    ]);
    expect(problemFor(refused, '/').document).toMatchObject({
      status: 409,
      type: 'urn:crm:problem:migration-refused',
    });
  });

  it('always names at least one location in a client error', () => {
    const { document } = problemFor(new EngineError('not-found', 'module x not found'), '/');
    expect(document.errors).toEqual([{ pointer: '', code: 'not-found', detail: 'module x not found' }]);
    expect(problemFor(new HttpProblem('route-not-found', 'none'), '/').document.errors).toHaveLength(1);
  });

  it('hides an unexpected error behind a plain 500 and logs it', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const secret = new Error('password=hunter2 at /srv/db.ts:12');
    const context = {
      req: { path: '/api/x' },
      body: (text: string, status: number, headers: Record<string, string>) =>
        new Response(text, { status, headers }),
    } as unknown as Parameters<typeof problemResponse>[0];
    const response = problemResponse(context, secret);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const text = await response.text();
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text)).toMatchObject({
      status: 500,
      detail: 'an unexpected error occurred',
      errors: [],
    });
    expect(log).toHaveBeenCalledWith(secret);
    log.mockRestore();
  });

  it('answers a lock timeout with a 503 to retry', () => {
    const busy = Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' });
    const { document, headers } = problemFor(busy, '/');
    expect(document.status).toBe(503);
    expect(headers['Retry-After']).toBe('1');
  });
});
