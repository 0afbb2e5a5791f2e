import type { IncomingMessage } from 'node:http';

/**
 * The address a request was sent to (`https://host`), so an answer can name the server as the person
 * reaches it when PUBLIC_URL is not set; undefined when the Host header is missing or not a plain host. A
 * proxy's X-Forwarded-Proto wins. Each adapter reads it from its own request and hands it to dispatch: an
 * AsyncLocalStorage carrying it would run promise hooks on every promise of every request (6 % of the CPU
 * of a filing, measured).
 */
export function readRequestOrigin(request: Pick<IncomingMessage, 'headers'>): string | undefined {
  const host = request.headers.host;
  if (!host || !/^[a-z0-9.-]+(:\d+)?$/i.test(host)) return undefined;
  const forwarded = String(request.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    ?.trim();
  const proto = forwarded === 'http' || forwarded === 'https' ? forwarded : 'http';
  return `${proto}://${host}`;
}
