import { appendCases } from './event-store.append-cases.ts';
import { badInputCases } from './event-store.bad-input-cases.ts';
import { byStreamCases } from './event-store.by-stream-cases.ts';
import { chainCases } from './event-store.chain-cases.ts';
import { crowdCases } from './event-store.crowd-cases.ts';
import { deliveryCases } from './event-store.delivery-cases.ts';
import type { ContractContext, EventStoreHarness } from './event-store.fixtures.ts';
import { positionCases } from './event-store.position-cases.ts';
import { readCases } from './event-store.read-cases.ts';
import { subscriptionCases } from './event-store.subscription-cases.ts';

export type { EventStoreHarness } from './event-store.fixtures.ts';

/**
 * The one behaviour every EventStore adapter must show. `factory` is called once per suite; tests use unique stream
 * names and subscribe from checkpoints they took themselves, so none depends on the store being empty.
 */
export function eventStoreContract(name: string, factory: () => Promise<EventStoreHarness>): void {
  describe(`EventStore contract: ${name}`, function () {
    let harness: EventStoreHarness | undefined;
    const context: ContractContext = {
      get harness() {
        if (!harness) throw new Error('harness not created');
        return harness;
      },
      get store() {
        return context.harness.store;
      },
    };

    before(async function () {
      this.timeout(60_000);
      harness = await factory();
    });

    after(async function () {
      await harness?.dispose();
    });

    appendCases(context);
    crowdCases(context);
    readCases(context);
    badInputCases(context);
    subscriptionCases(context);
    positionCases(context);
    byStreamCases(context);
    deliveryCases(context);
    chainCases(context);
  });
}
