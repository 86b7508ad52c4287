import type { StoredRecord } from '@crm/engine';
import { createApp, type RunningServer, serve } from '@crm/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testAdmin } from '../../support/api.ts';
import { customerModule } from '../../support/api-fixtures.ts';
import { forEachDatabase } from '../../support/engines.ts';

forEachDatabase('REST API over HTTP', (handle) => {
  let server: RunningServer;
  let authorization = '';
  const json = (body: unknown) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(body),
  });

  beforeAll(async () => {
    authorization = `Bearer ${(await testAdmin(handle())).token}`;
    const app = createApp({ engine: handle().engine, workspace: handle().workspace, bodyLimitBytes: 4096 });
    server = await serve(app, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('listens on a free port and serves the API through a real socket', async () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const health = await fetch(`${server.url}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok', database: handle().kind });

    expect((await fetch(`${server.url}/api/meta/modules`, json(customerModule))).status).toBe(201);
    expect(
      (await fetch(`${server.url}/api/meta/publish`, { method: 'POST', headers: { authorization } })).status,
    ).toBe(200);
    const created = await fetch(
      `${server.url}/api/modules/customer/records`,
      json({ name: 'Over the wire' }),
    );
    expect(created.status).toBe(201);
    const record = (await created.json()) as StoredRecord;
    const location = created.headers.get('location');
    const read = await fetch(`${server.url}${location}`, { headers: { authorization } });
    expect(read.headers.get('etag')).toBe('"1"');
    expect(await read.json()).toEqual(record);
    const head = await fetch(`${server.url}${location}`, { method: 'HEAD', headers: { authorization } });
    expect(head.status).toBe(200);
  });

  it('refuses an oversize body by its Content-Length and by its stream', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(5000) });
    const declared = await fetch(`${server.url}/api/modules/customer/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(declared.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++)
          controller.enqueue(new TextEncoder().encode(i === 0 ? big.slice(0, 2000) : 'x'.repeat(2000)));
        controller.close();
      },
    });
    const streamed = await fetch(`${server.url}/api/modules/customer/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    const list = await fetch(`${server.url}/api/modules/customer/records?count=true`, {
      headers: { authorization },
    });
    expect(((await list.json()) as { total: number }).total).toBe(1);
  });

  it('serves the API reference page and its assets from node_modules', async () => {
    const page = await fetch(`${server.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(
      expect.arrayContaining([
        '/api/docs/swagger-ui.css',
        '/api/docs/swagger-ui-bundle.js',
        '/api/docs/init.js',
      ]),
    );
    expect(assets.every((a) => a.startsWith('/'))).toBe(true); // nothing from a CDN
    for (const asset of assets) {
      const response = await fetch(`${server.url}${asset}`);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
    expect(await (await fetch(`${server.url}/api/docs/init.js`)).text()).toContain('/api/openapi.json');
    expect((await fetch(`${server.url}/api/docs/package.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/docs/..%2F..%2Fpackage.json`)).status).toBe(404);
  });
});
