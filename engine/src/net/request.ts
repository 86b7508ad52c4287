import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { allowListOf, hostOf, type OutboundPolicy, refusedAddress } from './policy.ts';

export interface OutboundInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** The whole call, connecting to the last byte of the answer (ms). */
  timeoutMs: number;
  /** The answer's body kept (bytes); the rest is not read. Default 64,000. */
  maxBodyBytes?: number;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  /** The answer's body as text, cut at `maxBodyBytes`. */
  text: string;
}

/** The call was refused before any connection: a blocked scheme or address. */
export class OutboundRefused extends Error {
  override name = 'OutboundRefused';
}

/** The call was made and got no (complete) answer: refused connection, reset, timeout. */
export class OutboundFailed extends Error {
  override name = 'OutboundFailed';
}

/** The server's outbound HTTP under an `OutboundPolicy`. */
export interface OutboundHttp {
  request(url: string | URL, init: OutboundInit): Promise<OutboundResponse>;
}

/**
 * Resolves the URL's host once, refuses it when any of its addresses is not allowed, and connects to
 * the address it checked (never resolving again, so a name cannot switch to 127.0.0.1 between the
 * check and the call). TLS still verifies the certificate against the host name. Redirects are not
 * followed.
 */
export function outboundHttp(policy: OutboundPolicy = {}): OutboundHttp {
  const allow = allowListOf(policy);

  async function addressOf(url: URL): Promise<{ address: string; family: number }> {
    const host = hostOf(url);
    const literal = isIP(host);
    if (literal !== 0) {
      const refused = allow.hosts.has(host) ? null : refusedAddress(host, policy, allow);
      if (refused) throw new OutboundRefused(refused.en);
      return { address: host, family: literal };
    }
    let resolved: { address: string; family: number }[];
    try {
      resolved = await lookup(host, { all: true, verbatim: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new OutboundFailed(`the host '${host}' could not be resolved (${code})`);
    }
    const first = resolved[0];
    if (!first) throw new OutboundFailed(`the host '${host}' has no address`);
    if (!allow.hosts.has(host)) {
      for (const { address } of resolved) {
        const refused = refusedAddress(address, policy, allow, host);
        if (refused) throw new OutboundRefused(refused.en);
      }
    }
    return first;
  }

  return {
    async request(target, init) {
      const url = typeof target === 'string' ? parseUrl(target) : target;
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new OutboundRefused(`the URL must be http or https, not ${url.protocol.replace(/:$/, '')}`);
      }
      const { address, family } = await addressOf(url);
      return send(url, address, family, init);
    },
  };
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new OutboundRefused(`'${text}' is not a URL`);
  }
}

function send(url: URL, address: string, family: number, init: OutboundInit): Promise<OutboundResponse> {
  const limit = init.maxBodyBytes ?? 64_000;
  const host = hostOf(url);
  return new Promise((resolve, reject) => {
    const options = {
      host: address,
      family,
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method: init.method,
      headers: { host: url.host, ...init.headers },
      // the certificate is checked against the name the URL gives, not the address connected to
      ...(url.protocol === 'https:' && isIP(host) === 0 ? { servername: host } : {}),
    };
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(options);
    const timer = setTimeout(() => {
      request.destroy(new OutboundFailed(`no answer in ${init.timeoutMs} ms`));
    }, init.timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error instanceof OutboundFailed ? error : new OutboundFailed(error.message));
    };
    request.on('error', fail);
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        clearTimeout(timer);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({
          status: response.statusCode ?? 0,
          headers,
          text: Buffer.concat(chunks).subarray(0, limit).toString('utf8'),
        });
      };
      response.on('data', (chunk: Buffer) => {
        if (size >= limit) return;
        chunks.push(chunk);
        size += chunk.length;
        if (size >= limit) {
          // enough kept: the rest of a long answer is not waited for
          response.destroy();
          finish();
        }
      });
      response.on('end', finish);
      response.on('error', fail);
    });
    request.end(init.body);
  });
}
