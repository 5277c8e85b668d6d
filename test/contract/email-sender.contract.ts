import { expect } from 'chai';
import type { EmailSender } from '../../adapters/notifications/index.ts';
import { deliveryFailure } from './delivery-failure.ts';

export interface DeliveredEmail {
  to: string[];
  messageId: string;
  subject: string;
  text: string;
  language: string;
}

export interface EmailHarness {
  sender: EmailSender;
  /** What the server behind the adapter accepted, oldest first. */
  delivered(): DeliveredEmail[];
  /** Makes the server refuse this recipient for good (SMTP 5xx) or for now (4xx). */
  refuse(address: string, how: 'permanent' | 'transient'): void;
  /** The same adapter pointed at a server that does not answer. */
  unreachable(): EmailSender;
  cleanup(): Promise<void>;
}

/** What every EmailSender adapter does. */
export function emailSenderContract(name: string, open: () => Promise<EmailHarness>): void {
  describe(`EmailSender contract: ${name}`, function () {
    this.timeout(30_000);
    let harness: EmailHarness;
    beforeEach(async () => {
      harness = await open();
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it('given a message in Chinese, when sent, then the server receives it once, subject and text intact, under a Message-ID naming the delivery', async () => {
      const result = await harness.sender.send({ id: 'n-1.email', to: 'citizen@example.test', subject: '申请已受理：居住登记', text: '您申请的“居住登记”已受理。\n详情: https://errand.example/citizen/cases/1', language: 'zh-CN' });
      const mails = harness.delivered();
      expect(mails).to.have.length(1);
      expect(mails[0]!.to).to.deep.equal(['citizen@example.test']);
      expect(mails[0]!.subject).to.equal('申请已受理：居住登记');
      expect(mails[0]!.text.trim()).to.equal('您申请的“居住登记”已受理。\n详情: https://errand.example/citizen/cases/1');
      expect(mails[0]!.messageId).to.include('n-1.email');
      expect(result.messageId).to.equal(mails[0]!.messageId);
      expect(mails[0]!.language).to.equal('zh-CN');
    });

    it('given a recipient the server refuses for good, when sent, then a permanent DeliveryError that does not name the address', async () => {
      harness.refuse('gone@example.test', 'permanent');
      const error = await deliveryFailure(harness.sender.send({ id: 'n-2.email', to: 'gone@example.test', subject: 's', text: 't', language: 'en' }));
      expect(error.permanent).to.equal(true);
      expect(error.message).to.not.include('gone@example.test');
      expect(harness.delivered()).to.have.length(0);
    });

    it('given a recipient refused for now, when sent, then a DeliveryError to retry', async () => {
      harness.refuse('busy@example.test', 'transient');
      expect((await deliveryFailure(harness.sender.send({ id: 'n-3.email', to: 'busy@example.test', subject: 's', text: 't', language: 'en' }))).permanent).to.equal(false);
    });

    it('given no server answering, when sent, then a DeliveryError to retry', async () => {
      const dead = harness.unreachable();
      try {
        expect((await deliveryFailure(dead.send({ id: 'n-4.email', to: 'a@example.test', subject: 's', text: 't', language: 'en' }))).permanent).to.equal(false);
      } finally {
        await dead.close();
      }
    });
  });
}
