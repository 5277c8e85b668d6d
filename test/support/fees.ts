import { expect } from 'chai';
import { until, type RunningErrand } from './http-engine.ts';

/** The household certificate's form: 秒批 approves it at once, and it then owes a fee of 20 CNY. */
export const HOUSEHOLD_FORM = { purpose: '入学', copies: 2 };

/** A 秒批 household certificate applied for by the demo citizen, its fee paid through the engine's provider. */
export async function paidHouseholdCase(errand: RunningErrand): Promise<string> {
  const citizen = await errand.signIn('citizen-instant-approval');
  const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'household-certificate', form: HOUSEHOLD_FORM });
  const caseId = String(draft.body.caseId);
  await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {});
  await until('the wait for payment', async () => ((await errand.api(citizen, 'GET', `/cases/${caseId}`)).body.status === 'awaitingPayment' ? true : null));
  expect((await errand.api(citizen, 'POST', `/cases/${caseId}/payment`, {})).status).to.equal(200);
  return caseId;
}
