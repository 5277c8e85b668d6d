import { expect } from 'chai';
import { validateApplicationForm, type FormField } from '../../domain/catalogue/index.ts';

const TODAY = '2026-06-01';
const label = (en: string) => ({ 'zh-CN': en, en });
const def: { form: FormField[] } = {
  form: [
    { name: 'shopName', type: 'string', required: true, label: label('Shop name'), maxLength: 5 },
    { name: 'floorArea', type: 'number', required: true, label: label('Floor area') },
    { name: 'plannedOpening', type: 'date', required: false, label: label('Planned opening') },
    { name: 'takeaway', type: 'boolean', required: false, label: label('Takeaway') },
  ],
};

describe('application form', () => {
  it('given a complete form, when validated, then there are no errors', () => {
    expect(validateApplicationForm(def, { shopName: '老王面馆', floorArea: 80, plannedOpening: '2026-10-08', takeaway: true }, TODAY)).to.deep.equal([]);
  });

  it('given optional fields left empty, when validated, then they are accepted', () => {
    expect(validateApplicationForm(def, { shopName: '面馆', floorArea: 80, plannedOpening: null, takeaway: undefined }, TODAY)).to.deep.equal([]);
  });

  it('given missing or blank required fields, when validated, then each is reported as required', () => {
    expect(validateApplicationForm(def, { shopName: '  ' }, TODAY)).to.deep.equal([
      'form.shopName (Shop name) is required',
      'form.floorArea (Floor area) is required',
    ]);
  });

  it('given a field the form does not have, when validated, then it is refused', () => {
    expect(validateApplicationForm(def, { shopName: '面馆', floorArea: 80, isAdmin: true }, TODAY)).to.deep.equal(['form.isAdmin is not a field of this form']);
  });

  it('given wrong types, when validated, then each names the field and what it got', () => {
    expect(validateApplicationForm(def, { shopName: 5, floorArea: '80', plannedOpening: '2026-02-30', takeaway: 'yes' }, TODAY)).to.deep.equal([
      'form.shopName (Shop name) must be text, got number 5',
      'form.floorArea (Floor area) must be a number, got the string "80"',
      'form.plannedOpening (Planned opening) must be a date YYYY-MM-DD, got the string "2026-02-30"',
      'form.takeaway (Takeaway) must be true or false, got the string "yes"',
    ]);
  });

  it('given text longer than maxLength, when validated, then it is refused counting characters, not bytes', () => {
    expect(validateApplicationForm(def, { shopName: '老王家的面馆', floorArea: 80 }, TODAY)).to.deep.equal([
      'form.shopName (Shop name) must be at most 5 characters, got 6',
    ]);
    expect(validateApplicationForm(def, { shopName: '老王面馆𠀀', floorArea: 80 }, TODAY)).to.deep.equal([]);
  });

  it('given something that is not an object, when validated, then the whole form is refused', () => {
    expect(validateApplicationForm(def, ['shopName'], TODAY)).to.deep.equal(['form must be an object, got an array']);
  });
});
