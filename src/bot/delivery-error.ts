/**
 * A platform refused or failed a send. `retryable` failures (429, 5xx, network) are tried again later,
 * after `retryAfterMs` when the platform said how long to wait; the others are final.
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    readonly code: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(`delivery failed: ${code}`);
  }
}
