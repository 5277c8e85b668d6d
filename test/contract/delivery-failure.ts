import { expect } from 'chai';
import { DeliveryError } from '../../adapters/notifications/index.ts';

/** The DeliveryError a send fails with; a send that succeeds, or fails with anything else, fails the test. */
export async function deliveryFailure(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(DeliveryError);
    return error as DeliveryError;
  }
  throw new Error('expected the send to fail');
}
