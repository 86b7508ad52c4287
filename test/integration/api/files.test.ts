// Attachments through the REST API, with the bytes in the database and in a folder: upload, attach,
// download (bytes, headers, ranges), limits, type checks, access, release and cleanup, streaming.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CHUNK_SIZE, type FileOptions, type StoredRecord, SYSTEM_ACTOR } from '@crm/engine';
import { serve } from '@crm/runtime';
import { beforeAll, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem, tokenFor } from '../../support/api.ts';
import { type EngineHandle, forEachDatabase } from '../../support/engines.ts';
import { organisation } from '../../support/org.ts';
import { rawRows } from '../../support/sql.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const HTML = Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>');

const contract = {
  id: 'mod_fl_contract',
  name: 'contract',
  label: { en: 'Contract', 'zh-CN': '合同' },
  fields: [
    { id: 'fl_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
    { id: 'fl_docs', name: 'docs', type: 'file', label: { en: 'Documents' }, multiple: true },
    {
      id: 'fl_scan',
      name: 'scan',
      type: 'file',
      label: { en: 'Scan', 'zh-CN': '扫描件' },
      maxSize: 1024 * 1024,
      accept: ['.pdf', 'image/*'],
    },
    { id: 'fl_big', name: 'big', type: 'file', label: { en: 'Big' }, maxSize: 32 * 1024 * 1024 },
  ],
};

interface FileRef {
  id: string;
  name: string;
  size: number;
  type: string;
}

/**
 * A body of `total` bytes in `piece`-sized parts, made as they are read, starting with `prefix`;
 * `onLast` runs before the last part is given.
 */
function generated(
  total: number,
  piece: number,
  onLast?: () => Promise<void>,
  prefix: Uint8Array = new Uint8Array(),
): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    async pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(piece, total - sent);
      if (sent + size >= total) await onLast?.();
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i += 4096) bytes.writeUInt32BE((sent + i) >>> 0, i);
      if (sent === 0) bytes.set(prefix);
      sent += size;
      controller.enqueue(bytes);
    },
  });
}

for (const storage of ['database', 'folder'] as const) {
  const files: FileOptions =
    storage === 'folder' ? { dir: mkdtempSync(join(tmpdir(), 'crm-files-')), maxSize: 64 * 1024 * 1024 } : {};

  forEachDatabase(
    `attachments in the ${storage}`,
    (handle) => {
      let admin: ApiClient;
      let alice: ApiClient;
      let bob: ApiClient;

      const upload = (api: ApiClient, field: string, name: string, body: BodyInit, headers = {}) =>
        api.app.request(`/api/modules/contract/fields/${field}/files`, {
          method: 'POST',
          body,
          headers: {
            ...headers,
            authorization: (api as ApiClient & { token: string }).token,
            'x-file-name': encodeURIComponent(name),
            'content-type': 'application/octet-stream',
          },
          duplex: 'half',
        } as RequestInit);

      const uploaded = async (api: ApiClient, field: string, name: string, body: BodyInit) => {
        const response = await upload(api, field, name, body);
        const json = await response.json();
        expect(response.status, JSON.stringify(json)).toBe(201);
        return json as FileRef;
      };

      const download = (api: ApiClient, id: string, headers: Record<string, string> = {}) =>
        api.app.request(`/api/files/${id}`, {
          headers: { ...headers, authorization: (api as ApiClient & { token: string }).token },
        });

      /** Bytes kept for files still being uploaded (database rows or `.part` files). */
      const bytesInProgress = async (h: EngineHandle): Promise<number> => {
        if (storage === 'database') {
          const [row] = await rawRows(
            h.engine,
            `SELECT coalesce(sum(length(c.data)), 0)::bigint AS n FROM ws_default._file_chunks c
             JOIN ws_default._files f ON f.id = c.file_id WHERE NOT f.complete`,
          );
          return Number(row.n);
        }
        let total = 0;
        for (const sub of readdirSync(files.dir as string)) {
          for (const name of readdirSync(join(files.dir as string, sub))) {
            if (name.endsWith('.part')) total += statSync(join(files.dir as string, sub, name)).size;
          }
        }
        return total;
      };

      const storedFiles = async (h: EngineHandle) => {
        const [row] = await rawRows(
          h.engine,
          `SELECT (SELECT count(*) FROM ws_default._files)::int AS files,
                  (SELECT count(*) FROM ws_default._file_chunks)::int AS chunks`,
        );
        let onDisk = 0;
        if (storage === 'folder') {
          for (const sub of readdirSync(files.dir as string))
            onDisk += readdirSync(join(files.dir as string, sub)).length;
        }
        return { files: Number(row.files), chunks: Number(row.chunks), onDisk };
      };

      const withToken = (api: ApiClient, token: string) => Object.assign(api, { token: `Bearer ${token}` });

      beforeAll(async () => {
        const h = handle();
        await h.workspace.definitions.saveDraft(contract);
        await h.workspace.definitions.publish();
        const org = organisation(h);
        await org.role({
          id: 'clerk',
          label: { en: 'Clerk', 'zh-CN': '文员' },
          modules: { [contract.id]: { read: 'own', create: 'own', update: 'own', delete: 'own' } },
        });
        const a = await org.user('alice');
        const b = await org.user('bob');
        await org.grant(a, 'clerk');
        await org.grant(b, 'clerk');
        const { testAdmin } = await import('../../support/api.ts');
        admin = withToken(apiClient(h), (await testAdmin(h)).token);
        alice = withToken(
          apiClient(h, { auth: { token: await tokenFor(h, a.id) } }),
          await tokenFor(h, a.id),
        );
        bob = withToken(apiClient(h, { auth: { token: await tokenFor(h, b.id) } }), await tokenFor(h, b.id));
      });

      it('uploads, attaches and downloads the very bytes with safe headers', async () => {
        const png = await uploaded(alice, 'docs', 'logo.png', PNG);
        expect(png).toMatchObject({ name: 'logo.png', size: PNG.length, type: 'image/png' });
        const created = await alice.post<StoredRecord>('/api/modules/contract/records', {
          title: 'With a logo',
          docs: [{ id: png.id, name: 'renamed-by-client.exe', size: 1 }],
        });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        // the record keeps what was uploaded, whatever the client claimed
        expect(created.body.docs).toEqual([png]);
        expect(
          (await alice.get<StoredRecord>(`/api/modules/contract/records/${created.body.id}`)).body.docs,
        ).toEqual([png]);

        const response = await download(alice, png.id);
        expect(response.status).toBe(200);
        expect(Buffer.from(await response.arrayBuffer())).toEqual(PNG);
        expect(Object.fromEntries(response.headers)).toMatchObject({
          'content-type': 'image/png',
          'content-length': String(PNG.length),
          'content-disposition': `attachment; filename="logo.png"; filename*=UTF-8''logo.png`,
          'x-content-type-options': 'nosniff',
          'content-security-policy': expect.stringMatching(/^sandbox/),
          etag: `"${createHash('sha256').update(PNG).digest('hex')}"`,
          'accept-ranges': 'bytes',
        });
      });

      it('keeps Chinese file names and gives them back in an RFC 5987 filename', async () => {
        const name = '合同 2026（终版）"最终".pdf';
        const pdf = await uploaded(alice, 'scan', name, PDF);
        expect(pdf).toMatchObject({ name, type: 'application/pdf' });
        const response = await download(alice, pdf.id);
        const disposition = response.headers.get('content-disposition') ?? '';
        expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
        expect(disposition).not.toMatch(/filename="[^"]*"[^;]*"/);
        expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1])).toBe(name);
        expect(response.headers.get('content-type')).toBe('application/pdf');
        expect(Buffer.from(await response.arrayBuffer())).toEqual(PDF);
      });

      it('serves ranges of a file', async () => {
        const bytes = Buffer.alloc(CHUNK_SIZE + 5000, 7).fill(9, CHUNK_SIZE - 10);
        const file = await uploaded(alice, 'docs', 'data.bin', bytes);
        expect(file.type).toBe('application/octet-stream');
        const across = await download(alice, file.id, {
          range: `bytes=${CHUNK_SIZE - 20}-${CHUNK_SIZE + 19}`,
        });
        expect(across.status).toBe(206);
        expect(across.headers.get('content-range')).toBe(
          `bytes ${CHUNK_SIZE - 20}-${CHUNK_SIZE + 19}/${bytes.length}`,
        );
        expect(Buffer.from(await across.arrayBuffer())).toEqual(
          bytes.subarray(CHUNK_SIZE - 20, CHUNK_SIZE + 20),
        );
        const tail = await download(alice, file.id, { range: 'bytes=-10' });
        expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 10));
        const outside = await download(alice, file.id, { range: `bytes=${bytes.length}-` });
        expect(outside.status).toBe(416);
        expect(outside.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
      });

      it('never serves HTML, SVG or script as such', async () => {
        const file = await uploaded(alice, 'docs', 'page.html', HTML);
        const svg = await uploaded(
          alice,
          'docs',
          'icon.svg',
          Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
        );
        for (const id of [file.id, svg.id]) {
          const response = await download(alice, id);
          expect(response.headers.get('content-type')).toBe('application/octet-stream');
          expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
          expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        }
      });

      it('refuses a file whose content is not what its name says, or not a type the field accepts', async () => {
        const before = await storedFiles(handle());
        const fake = await upload(alice, 'docs', 'holiday.png', HTML);
        const problem = expectProblem(
          { status: fake.status, headers: fake.headers, body: await fake.json() },
          415,
          ['/docs'],
        );
        expect(problem.errors[0]).toMatchObject({
          code: 'mismatch',
          messages: { 'zh-CN': expect.any(String) },
        });
        const text = await upload(alice, 'scan', 'notes.txt', Buffer.from('plain words'));
        expect(text.status).toBe(415);
        expect(((await text.json()) as { errors: { code: string }[] }).errors[0].code).toBe('not-accepted');
        expect(await storedFiles(handle())).toEqual(before);
      });

      it('stops an upload at the size limit, names the field and keeps nothing', async () => {
        const before = await storedFiles(handle());
        // no Content-Length: the limit is found while the bytes stream in
        const response = await upload(
          alice,
          'scan',
          'huge.pdf',
          generated(3 * 1024 * 1024, 64 * 1024, undefined, PDF),
        );
        const problem = expectProblem(
          { status: response.status, headers: response.headers, body: await response.json() },
          413,
          ['/scan'],
        );
        expect(problem.errors[0].detail).toContain(String(1024 * 1024));
        expect(await storedFiles(handle())).toEqual(before);
        // a declared length over the limit is refused before anything is read
        const declared = await upload(alice, 'scan', 'huge.pdf', PDF, {
          'content-length': String(2 * 1024 * 1024),
        });
        expect(declared.status).toBe(413);
      });

      it('streams a 20 MB file in and out without holding it', async () => {
        const total = 20 * 1024 * 1024;
        let storedBeforeEnd = 0;
        const body = generated(total, 64 * 1024, async () => {
          storedBeforeEnd = await bytesInProgress(handle());
        });
        const expected = createHash('sha256');
        for await (const piece of Readable.fromWeb(generated(total, 64 * 1024) as never))
          expected.update(piece);
        const file = await uploaded(alice, 'big', 'big.bin', body);
        expect(file.size).toBe(total);
        // the bytes were being stored while the body still came in
        expect(storedBeforeEnd).toBeGreaterThan(total - 2 * 1024 * 1024);
        const response = await download(alice, file.id);
        const actual = createHash('sha256');
        let pieces = 0;
        let largest = 0;
        for await (const piece of Readable.fromWeb(response.body as never) as AsyncIterable<Buffer>) {
          actual.update(piece);
          pieces++;
          largest = Math.max(largest, piece.length);
        }
        expect(actual.digest('hex')).toBe(expected.digest('hex'));
        expect(pieces).toBeGreaterThan(10);
        expect(largest).toBeLessThanOrEqual(CHUNK_SIZE);
      });

      it('lets only those who may read the record download its files', async () => {
        const file = await uploaded(alice, 'docs', 'private.pdf', PDF);
        // unattached: only the uploader sees it
        expect((await download(bob, file.id)).status).toBe(404);
        expect((await download(alice, file.id)).status).toBe(200);
        const record = await alice.post<StoredRecord>('/api/modules/contract/records', {
          title: 'Alice only',
          docs: [{ id: file.id }],
        });
        expect(record.status).toBe(201);
        expect((await download(bob, file.id)).status).toBe(404);
        expect((await download(admin, file.id)).status).toBe(200);
        // Bob may not reference it in a record of his either
        const stolen = await bob.post('/api/modules/contract/records', {
          title: 'Bob',
          docs: [{ id: file.id }],
        });
        expectProblem(stolen, 422, ['/docs/0']);
        // and nor may Alice put it on a second record: it is taken (the answer a concurrent write gets)
        const twice = await alice.post('/api/modules/contract/records', {
          title: 'Again',
          docs: [{ id: file.id }],
        });
        expectProblem(twice, 409, ['/docs']);
        // sharing the record with Bob lets him read the file
        await handle().workspace.access.shares.grant(
          'contract',
          record.body.id,
          { principalType: 'user', principalId: (await bobId(handle())) as string, access: 'read' },
          SYSTEM_ACTOR,
        );
        expect((await download(bob, file.id)).status).toBe(200);
      });

      it('releases files whose reference is removed or whose record is purged, and cleans them up', async () => {
        const h = handle();
        const one = await uploaded(alice, 'docs', 'one.pdf', PDF);
        const two = await uploaded(alice, 'docs', 'two.pdf', PDF);
        const created = await alice.post<StoredRecord>('/api/modules/contract/records', {
          title: 'Two files',
          docs: [{ id: one.id }, { id: two.id }],
        });
        const id = created.body.id;
        const updated = await alice.patch<StoredRecord>(`/api/modules/contract/records/${id}`, {
          docs: [{ id: two.id }],
        });
        expect(updated.status, JSON.stringify(updated.body)).toBe(200);
        expect(updated.body.docs).toEqual([two]);
        const state = async (fileId: string) =>
          (await rawRows(h.engine, `SELECT record_id FROM ws_default._files WHERE id = '${fileId}'`))[0];
        expect(await state(one.id)).toEqual({ record_id: null });
        expect(await state(two.id)).toEqual({ record_id: id });
        // within the grace period nothing goes; after it the released file goes, the attached one stays
        expect(await h.workspace.files.cleanup()).toBe(0);
        const removed = await h.workspace.files.cleanup(0);
        expect(removed).toBeGreaterThanOrEqual(1);
        expect(await state(one.id)).toBeUndefined();
        expect((await download(alice, one.id)).status).toBe(404);
        expect((await download(alice, two.id)).status).toBe(200);
        // a soft delete keeps the files (attached, downloadable by admins only); a purge releases them
        expect((await alice.delete(`/api/modules/contract/records/${id}`)).status).toBe(204);
        expect(await state(two.id)).toEqual({ record_id: id });
        expect((await download(alice, two.id)).status).toBe(404);
        expect((await download(admin, two.id)).status).toBe(200);
        expect((await admin.delete(`/api/modules/contract/recycle-bin/${id}`)).status).toBe(204);
        expect(await state(two.id)).toEqual({ record_id: null });
        const kept = await storedFiles(h);
        await h.workspace.files.cleanup(0);
        expect(await state(two.id)).toBeUndefined();
        const left = await storedFiles(h);
        expect(left.files).toBe(kept.files - 1);
        if (storage === 'folder') expect(left.onDisk).toBe(kept.onDisk - 1);
        else expect(left.chunks).toBe(kept.chunks - 1);
      });

      it('streams uploads and downloads over a real HTTP connection', async () => {
        const server = await serve(alice.app, 0, '127.0.0.1');
        try {
          const headers = (name: string) => ({
            authorization: (alice as ApiClient & { token: string }).token,
            'x-file-name': encodeURIComponent(name),
          });
          const send = (field: string, name: string, body: BodyInit) =>
            fetch(`${server.url}/api/modules/contract/fields/${field}/files`, {
              method: 'POST',
              headers: headers(name),
              body,
              duplex: 'half',
            } as RequestInit);
          const ok = await send('big', '报价单.pdf', generated(3 * 1024 * 1024, 64 * 1024, undefined, PDF));
          const file = (await ok.json()) as FileRef;
          expect(ok.status, JSON.stringify(file)).toBe(201);
          expect(file).toMatchObject({ name: '报价单.pdf', size: 3 * 1024 * 1024, type: 'application/pdf' });
          const back = await fetch(`${server.url}/api/files/${file.id}`, { headers: headers('') });
          expect(back.status).toBe(200);
          expect((await back.arrayBuffer()).byteLength).toBe(3 * 1024 * 1024);
          const before = await storedFiles(handle());
          const tooBig = await send('scan', 'big.pdf', generated(3 * 1024 * 1024, 64 * 1024, undefined, PDF));
          expect(tooBig.status).toBe(413);
          expect(((await tooBig.json()) as { errors: { pointer: string }[] }).errors[0].pointer).toBe(
            '/scan',
          );
          expect(await storedFiles(handle())).toEqual(before);
        } finally {
          await server.close();
        }
      });

      it('lets only one of two concurrent records take the same file', async () => {
        const file = await uploaded(alice, 'docs', 'contested.pdf', PDF);
        const outcomes = await Promise.all(
          ['first', 'second'].map((title) =>
            alice.post<StoredRecord>('/api/modules/contract/records', { title, docs: [{ id: file.id }] }),
          ),
        );
        expect(outcomes.map((o) => o.status).sort()).toEqual([201, 409]);
        const loser = outcomes.find((o) => o.status === 409);
        expectProblem(loser as NonNullable<typeof loser>, 409, ['/docs']);
        const winner = outcomes.find((o) => o.status === 201)?.body.id;
        const [row] = await rawRows(
          handle().engine,
          `SELECT record_id FROM ws_default._files WHERE id = '${file.id}'`,
        );
        expect(row.record_id).toBe(winner);
      });

      it('hides the files of a field the reader may not see', async () => {
        const h = handle();
        const org = organisation(h);
        await org.role({
          id: 'no_docs',
          label: { en: 'No documents', 'zh-CN': '无附件' },
          modules: { [contract.id]: { read: 'all', fields: { fl_docs: 'none' } } },
        });
        const carol = await org.user('carol');
        await org.grant(carol, 'no_docs');
        const token = await tokenFor(h, carol.id);
        const reader = withToken(apiClient(h, { auth: { token } }), token);
        const file = await uploaded(alice, 'docs', 'hidden.pdf', PDF);
        const created = await alice.post<StoredRecord>('/api/modules/contract/records', {
          title: 'Hidden docs',
          docs: [{ id: file.id }],
        });
        expect(
          (await reader.get<StoredRecord>(`/api/modules/contract/records/${created.body.id}`)).body,
        ).not.toHaveProperty('docs');
        expect((await download(reader, file.id)).status).toBe(404);
      });

      it('gives a released file back to its record when the record is reverted', async () => {
        const file = await uploaded(alice, 'docs', 'v1.pdf', PDF);
        const created = await alice.post<StoredRecord>('/api/modules/contract/records', {
          title: 'Versions',
          docs: [{ id: file.id }],
        });
        const id = created.body.id;
        await alice.patch(`/api/modules/contract/records/${id}`, { docs: null });
        // another user (with the right to update) reverts: the file was this record's
        const reverted = await admin.post<StoredRecord>(
          `/api/modules/contract/records/${id}/history/1/revert`,
        );
        expect(reverted.status, JSON.stringify(reverted.body)).toBe(200);
        expect(reverted.body.docs).toEqual([file]);
        expect((await download(alice, file.id)).status).toBe(200);
      });

      it('needs the file name and the right to write the field', async () => {
        const response = await alice.app.request('/api/modules/contract/fields/docs/files', {
          method: 'POST',
          body: PDF,
          headers: { authorization: (alice as ApiClient & { token: string }).token },
        });
        expect(response.status).toBe(400);
        expect((await upload(alice, 'title', 'a.pdf', PDF)).status).toBe(404);
        expect((await upload(alice, 'nope', 'a.pdf', PDF)).status).toBe(404);
      });
    },
    { files },
  );
}

async function bobId(h: EngineHandle) {
  return (await h.workspace.identity.users.findByUsername('bob'))?.id;
}
