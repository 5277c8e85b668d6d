import { expect } from 'chai';
import type { SmsSender } from '../../adapters/notifications/index.ts';
import { deliveryFailure } from './delivery-failure.ts';

export interface SmsHarness {
  sender: SmsSender;
  /** What the provider (or the in-process store) took, oldest first. */
  delivered(): Array<{ reference: string; to: string; text: string }>;
  /** The same adapter with its provider not answering; absent for adapters that have no provider (in-process). */
  unreachable?: () => SmsSender;
  cleanup(): Promise<void>;
}

/** What every SmsSender adapter does: the documented provider shape's rules (README, Notifications). */
export function smsSenderContract(name: string, open: () => Promise<SmsHarness>, options: { unreachable: boolean }): void {
  describe(`SmsSender contract: ${name}`, function () {
    this.timeout(20_000);
    let harness: SmsHarness;
    beforeEach(async () => {
      harness = await open();
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it('given a mainland mobile number, when sent, then one message with the delivery id as its reference', async () => {
      const result = await harness.sender.send({ id: 'n-1.sms', to: '13800138000', text: '【一网通办】申请已受理：居住登记' });
      expect(result.providerId).to.be.a('string').and.not.equal('');
      expect(harness.delivered()).to.deep.equal([{ reference: 'n-1.sms', to: '13800138000', text: '【一网通办】申请已受理：居住登记' }]);
    });

    it('given the same delivery sent twice (a retry after a crash), then one message, and the first provider id both times', async () => {
      const first = await harness.sender.send({ id: 'n-2.sms', to: '+8613800138000', text: 'x' });
      const second = await harness.sender.send({ id: 'n-2.sms', to: '+8613800138000', text: 'x' });
      expect(second.providerId).to.equal(first.providerId);
      expect(harness.delivered()).to.have.length(1);
    });

    it('given a number that is not a mobile number, when sent, then a permanent DeliveryError that does not name the number', async () => {
      const error = await deliveryFailure(harness.sender.send({ id: 'n-3.sms', to: '010-1234', text: 'x' }));
      expect(error.permanent).to.equal(true);
      expect(error.message).to.not.include('010-1234');
      expect(harness.delivered()).to.have.length(0);
    });

    if (options.unreachable) {
      it('given the provider not answering, when sent, then a DeliveryError to retry', async () => {
        expect((await deliveryFailure(harness.unreachable!().send({ id: 'n-4.sms', to: '13800138000', text: 'x' }))).permanent).to.equal(false);
      });
    }
  });
}
