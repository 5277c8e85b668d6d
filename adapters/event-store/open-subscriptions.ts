import type { Subscription } from '../../domain/ports/event-store.ts';

/** The subscriptions a store has handed out, so close() can stop them all; a stopped one leaves the set. */
export function openSubscriptions() {
  const open = new Set<Subscription>();
  return {
    track(subscription: Subscription): Subscription {
      open.add(subscription);
      return {
        get checkpoint() {
          return subscription.checkpoint;
        },
        async stop() {
          await subscription.stop();
          open.delete(subscription);
        },
      };
    },
    async stopAll(): Promise<void> {
      await Promise.all([...open].map((subscription) => subscription.stop()));
    },
  };
}
