// Responses are gzipped for clients that accept it (the API's JSON, the web apps' scripts), hashed assets
// are cached for good, and a record read keeps its strong ETag (If-Match compares it strongly).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SYSTEM_ACTOR } from '@crm/engine';
import { createApp } from '@crm/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testAdmin } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';

forEachDatabase('response compression', (handle) => {
  const dir = mkdtempSync(join(tmpdir(), 'crm-web-'));
  const script = `console.log(${JSON.stringify('x'.repeat(5000))});`;
  let app: ReturnType<typeof createApp>;
  let token: string;

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-AbC123.js'), script);
    const { engine, workspace } = handle();
    app = createApp({ engine, workspace, webApps: [{ path: '/', dir }] });
    token = (await testAdmin(handle())).token;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const get = (path: string, gzip: boolean) =>
    app.request(path, {
      headers: { authorization: `Bearer ${token}`, ...(gzip ? { 'accept-encoding': 'gzip, deflate' } : {}) },
    });

  it('gzips scripts and JSON for a client that accepts it, and caches hashed assets for good', async () => {
    const asset = await get('/assets/index-AbC123.js', true);
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('vary')).toContain('Accept-Encoding');
    expect(gunzipSync(Buffer.from(await asset.arrayBuffer())).toString()).toBe(script);

    const types = await get('/api/meta/field-types', true);
    expect(types.headers.get('content-encoding')).toBe('gzip');
    const listed = JSON.parse(gunzipSync(Buffer.from(await types.arrayBuffer())).toString());
    expect(listed.map((t: { type: string }) => t.type)).toContain('text');

    const plain = await get('/assets/index-AbC123.js', false);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
    // the page itself is asked again each time (it names the current assets)
    expect((await get('/m/customer', false)).headers.get('cache-control')).toBe('no-cache');
  });

  it('leaves a record read with its strong ETag uncompressed', async () => {
    const { workspace } = handle();
    await workspace.definitions.saveDraft({
      id: 'mod_cz_note',
      name: 'cz_note',
      label: { en: 'Note' },
      fields: [{ id: 'cz_body', name: 'body', type: 'longText', label: { en: 'Body' } }],
    });
    await workspace.definitions.publish();
    // well above the size from which JSON is compressed
    const record = await workspace.records.create('cz_note', { body: 'x'.repeat(5000) }, SYSTEM_ACTOR);
    const read = await get(`/api/modules/cz_note/records/${record.id}`, true);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.headers.get('content-encoding')).toBeNull();
    expect((await read.json()).body).toHaveLength(5000);
    // the same record in a list (no ETag) is compressed
    const list = await get('/api/modules/cz_note/records', true);
    expect(list.headers.get('content-encoding')).toBe('gzip');
  });
});
