import { expect } from 'vitest';
import { DeliveryError } from '../../src/bot/delivery-error.ts';

/** The DeliveryError `send` fails with; fails the test if it succeeds or fails otherwise. */
export async function failureOf(send: Promise<unknown>): Promise<DeliveryError> {
  try {
    await send;
  } catch (error) {
    expect(error).toBeInstanceOf(DeliveryError);
    return error as DeliveryError;
  }
  throw new Error('expected the send to fail');
}
