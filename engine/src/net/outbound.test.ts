import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAddress, outboundPolicyFrom, staticUrlProblem } from './policy.ts';
import { OutboundRefused, outboundHttp } from './request.ts';

describe('outbound policy', () => {
  it('classifies addresses, IPv4-mapped IPv6 by its IPv4 address', () => {
    expect(classifyAddress('127.0.0.53')).toBe('loopback');
    expect(classifyAddress('::1')).toBe('loopback');
    expect(classifyAddress('::ffff:10.0.0.1')).toBe('private');
    expect(classifyAddress('169.254.169.254')).toBe('link-local');
    expect(classifyAddress('fe80::1')).toBe('link-local');
    expect(classifyAddress('fd12:3456::1')).toBe('private');
    expect(classifyAddress('100.64.0.1')).toBe('private');
    expect(classifyAddress('224.0.0.1')).toBe('reserved');
    expect(classifyAddress('8.8.8.8')).toBeNull();
    expect(classifyAddress('2606:4700::1111')).toBeNull();
  });

  it('reads the settings, refusing what is not a host, address or range', () => {
    expect(outboundPolicyFrom({})).toEqual({ allowPrivate: false, allowHosts: [] });
    expect(
      outboundPolicyFrom({
        CRM_WEBHOOK_ALLOW_PRIVATE: 'true',
        CRM_WEBHOOK_ALLOW_HOSTS: 'erp.corp, 10.2.0.0/16 ,',
      }),
    ).toEqual({ allowPrivate: true, allowHosts: ['erp.corp', '10.2.0.0/16'] });
    expect(() => outboundPolicyFrom({ CRM_WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(
      /CRM_WEBHOOK_ALLOW_PRIVATE/,
    );
    expect(() => outboundPolicyFrom({ CRM_WEBHOOK_ALLOW_HOSTS: '10.0.0.0/99' })).toThrow(/'10.0.0.0\/99'/);
  });

  it('lets allowed hosts and ranges through; private ranges stay closed to allowPrivate only for metadata', () => {
    expect(staticUrlProblem('http://10.2.3.4/x', { allowHosts: ['10.2.0.0/16'] })).toBeNull();
    expect(staticUrlProblem('http://10.3.3.4/x', { allowHosts: ['10.2.0.0/16'] })?.en).toContain('private');
    expect(staticUrlProblem('http://erp.corp/x', { allowHosts: ['ERP.corp'] })).toBeNull();
    expect(staticUrlProblem('http://127.0.0.1/x', { allowPrivate: true })).toBeNull();
    // allowing private networks does not open the cloud metadata service: only naming it does
    expect(staticUrlProblem('http://169.254.169.254/', { allowPrivate: true })?.en).toContain('link-local');
    expect(staticUrlProblem('http://169.254.169.254/', { allowHosts: ['169.254.169.254'] })).toBeNull();
    expect(staticUrlProblem('gopher://example.com/', {})?.en).toBe(
      'the URL must be http or https, not gopher',
    );
  });
});

describe('outbound HTTP', () => {
  let server: Server;
  let port = 0;
  const seen: { host: string | undefined; method: string | undefined }[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ host: request.headers.host, method: request.method });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(100));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const init = { method: 'PUT', headers: {}, body: '{}', timeoutMs: 10_000, maxBodyBytes: 10 };

  it('connects to the address it checked, with the name as the Host header', async () => {
    const http = outboundHttp({ allowHosts: ['127.0.0.1'] });
    const response = await http.request(`http://localhost:${port}/a`, init);
    expect(response).toMatchObject({ status: 200, text: 'xxxxxxxxxx' });
    expect(seen.at(-1)).toEqual({ host: `localhost:${port}`, method: 'PUT' });
  });

  it('refuses before connecting', async () => {
    const before = seen.length;
    await expect(outboundHttp().request(`http://localhost:${port}/a`, init)).rejects.toBeInstanceOf(
      OutboundRefused,
    );
    await expect(outboundHttp().request(`http://[::ffff:127.0.0.1]:${port}/a`, init)).rejects.toThrow(
      /loopback address/,
    );
    expect(seen.length).toBe(before);
  });
});
