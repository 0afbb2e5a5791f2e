import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';

const origins = new AsyncLocalStorage<string>();

/**
 * Runs the handling of one request knowing the address it was sent to (`https://host`), so an answer can
 * name the server as the person reaches it when PUBLIC_URL is not set. A proxy's X-Forwarded-Proto wins.
 */
export function withRequestOrigin<T>(request: IncomingMessage, handle: () => T): T {
  const host = request.headers.host;
  if (!host || !/^[a-z0-9.-]+(:\d+)?$/i.test(host)) return handle();
  const forwarded = String(request.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    ?.trim();
  const proto = forwarded === 'http' || forwarded === 'https' ? forwarded : 'http';
  return origins.run(`${proto}://${host}`, handle);
}

/** The address of the request being handled, if any. */
export function currentRequestOrigin(): string | undefined {
  return origins.getStore();
}
