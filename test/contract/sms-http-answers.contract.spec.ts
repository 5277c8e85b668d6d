import { expect } from 'chai';
import { createHttpSmsSender, type SmsSender } from '../../adapters/notifications/index.ts';
import { startTestSmsProvider, type TestSmsProvider } from '../support/sms-provider.ts';
import { deliveryFailure } from './delivery-failure.ts';

const PHONE = '13800138000';

/** README, Notifications, SMS provider shape: how the HTTP adapter reads each answer, against the stub provider. */
describe('HTTP SMS sender: the provider\'s answers, refused for good or tried again', function () {
  this.timeout(20_000);
  let provider: TestSmsProvider;
  let sender: SmsSender;
  beforeEach(async () => {
    provider = await startTestSmsProvider();
    sender = createHttpSmsSender({ url: provider.url, token: provider.token });
  });
  afterEach(async () => {
    await sender.close();
    await provider.close();
  });

  for (const status of [408, 429, 500, 502, 503, 504]) {
    it(`given the provider answering ${status}, then a DeliveryError to retry, and the retry sends the message once`, async () => {
      provider.failNext(1, status);
      const message = { id: `n-${status}.sms`, to: PHONE, text: 'x' };
      const error = await deliveryFailure(sender.send(message));
      expect(error.permanent).to.equal(false);
      expect(error.message).to.include(String(status)).and.not.include(PHONE);
      expect(provider.messages).to.have.length(0);
      const sent = await sender.send(message);
      expect(provider.messages.map((m) => [m.reference, m.id])).to.deep.equal([[message.id, sent.providerId]]);
    });
  }

  it('given 429, 503 and 408 in a row, then each is to retry; the fourth try sends once, and the same reference again answers its first id and sends nothing', async () => {
    provider.failNext(1, 429);
    provider.failNext(1, 503);
    provider.failNext(1, 408);
    const message = { id: 'n-row.sms', to: PHONE, text: 'x' };
    for (let i = 0; i < 3; i++) expect((await deliveryFailure(sender.send(message))).permanent).to.equal(false);
    const first = await sender.send(message);
    const again = await sender.send(message);
    expect(again.providerId).to.equal(first.providerId);
    expect(provider.requests).to.deep.equal([429, 503, 408, 200, 200].map((status) => ({ reference: message.id, status })));
    expect(provider.messages).to.have.length(1);
  });

  for (const status of [400, 401, 403, 404, 409, 422]) {
    it(`given the provider answering ${status}, then a permanent DeliveryError that does not name the number`, async () => {
      provider.failNext(1, status);
      const error = await deliveryFailure(sender.send({ id: `n-${status}.sms`, to: PHONE, text: 'x' }));
      expect(error.permanent).to.equal(true);
      expect(error.message).to.include(String(status)).and.not.include(PHONE);
      expect(provider.messages).to.have.length(0);
    });
  }

  it('given no answer within timeoutMs (the message sent, its answer lost), then a DeliveryError to retry; the retry answers the first id and sends nothing more', async () => {
    provider.holdNext(1);
    const impatient = createHttpSmsSender({ url: provider.url, token: provider.token, timeoutMs: 2000 });
    const message = { id: 'n-held.sms', to: PHONE, text: 'x' };
    const error = await deliveryFailure(impatient.send(message));
    expect(error.permanent).to.equal(false);
    expect(error.message).to.match(/unreachable: TimeoutError/);
    expect(provider.requests).to.deep.equal([{ reference: message.id, status: null }]);
    expect(provider.messages).to.have.length(1);
    const retried = await sender.send(message);
    expect(retried.providerId).to.equal(provider.messages[0]!.id);
    expect(provider.messages).to.have.length(1);
  });
});
