import { expect } from 'chai';
import { bundleForm, splitBundleForms } from '../../domain/catalogue/index.ts';
import type { ServiceDefinition } from '../../domain/catalogue/index.ts';
import { bundleStatus } from '../../workflows/index.ts';
import { COMMITMENT, SINGLE, clerk, givenCase, history, when } from '../support/case-fixtures.ts';

const label = (en: string) => ({ 'zh-CN': en, en });
const BIRTH: ServiceDefinition = { ...SINGLE, id: 'birth', form: [{ name: 'childName', type: 'string', required: true, label: label('Child') }, { name: 'relation', type: 'string', required: true, label: label('Relation') }] };
const HUKOU: ServiceDefinition = { ...SINGLE, id: 'hukou', form: [{ name: 'childName', type: 'string', required: false, label: label('Child') }, { name: 'registerWith', type: 'string', required: true, label: label('With') }] };

describe('一件事一次办: one form, one status, one submission', () => {
  it('given two services asking for the child\'s name, then it is asked once (required if either requires it) and the rest per service', () => {
    const form = bundleForm([BIRTH, HUKOU]);
    expect(form.common.map((f) => [f.name, f.required, f.services])).to.deep.equal([['childName', true, ['birth', 'hukou']]]);
    expect(form.perService.birth!.map((f) => f.name)).to.deep.equal(['relation']);
    expect(form.perService.hukou!.map((f) => f.name)).to.deep.equal(['registerWith']);
  });

  it('given shared and own answers, when split, then every member gets the shared field and only its own fields', () => {
    const { forms, problems } = splitBundleForms([BIRTH, HUKOU], { childName: '小明' }, { birth: { relation: 'mother' }, hukou: { registerWith: 'mother' } });
    expect(problems).to.deep.equal([]);
    expect(forms).to.deep.equal({ birth: { relation: 'mother', childName: '小明' }, hukou: { registerWith: 'mother', childName: '小明' } });
  });

  it('given a common field answered per service, or answers for no member, then each is refused', () => {
    const { problems } = splitBundleForms([BIRTH, HUKOU], { colour: 'red' }, { birth: { childName: '小红' }, tax: {} });
    expect(problems).to.have.members([
      'form.colour is asked by no service of the bundle',
      'forms.tax: tax is not part of the bundle',
      'forms.birth.childName is common to the bundle: give it once, in form',
    ]);
  });

  it('given member cases in different states, then the bundle has one status and lists everything owed across them', () => {
    const draft = givenCase(SINGLE, [history.drafted(SINGLE)]);
    const otherDraft = givenCase(COMMITMENT, [history.drafted(COMMITMENT)]);
    const all = bundleStatus([draft, otherDraft]);
    expect(all.status).to.equal('draft');
    expect(all.outstanding.map((o) => [o.serviceId, o.materialId, o.reason])).to.deep.equal([['test-residence', 'photo', 'missing'], ['test-residence', 'lease', 'missing']]);

    const submitted = givenCase(SINGLE, [history.drafted(SINGLE), history.submitted(), { type: 'SupplementRequested', data: { items: [{ materialId: 'photo', note: '' }], requestedOn: '2026-03-02', dueOn: '2026-03-09' } }]);
    const partly = bundleStatus([submitted, otherDraft]);
    expect(partly.status).to.equal('partlySubmitted');
    expect(partly.services.map((s) => s.status)).to.deep.equal(['awaitingSupplement', 'draft']);
    expect(partly.outstanding[0]).to.include({ serviceId: 'test-residence', materialId: 'photo', reason: 'supplement', key: true });

    const inReview = givenCase(SINGLE, [history.drafted(SINGLE), history.uploaded('photo'), history.submitted(), history.accepted(), history.requested('household', 'household-registration', 'PSB'), history.received('household'), history.completed()]);
    const denied = when(inReview, { type: 'DenyCase', actor: clerk('PSB'), reasons: ['x'] }).state;
    expect(bundleStatus([inReview, denied]).status).to.equal('inProgress');
    expect(bundleStatus([denied, denied]).status).to.equal('finished');
    expect(bundleStatus([denied]).outstanding).to.deep.equal([]);
  });
});
