import { expect } from 'chai';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formIssues, type FormField, type FormIssue } from '../../domain/catalogue/index.ts';
import { makeCitizenId } from '../../domain/identity/index.ts';

// The page's rules are a plain browser ES module; loaded by URL so the type checker does not need its declarations.
type PageRules = { formIssues(fields: FormField[], form: Record<string, unknown>, today: string): FormIssue[] };
const PAGE_RULES = pathToFileURL(fileURLToPath(new URL('../../api/pages/static/js/form-rules.js', import.meta.url))).href;

const TODAY = '2026-06-01';
const label = (en: string) => ({ 'zh-CN': en, en });
const FIELDS: FormField[] = [
  { name: 'phone', type: 'string', required: true, label: label('Phone'), maxLength: 20, format: 'phone' },
  { name: 'idNumber', type: 'string', required: false, label: label('ID'), format: 'citizenId' },
  { name: 'creditCode', type: 'string', required: false, label: label('Credit code'), format: 'creditCode' },
  { name: 'name', type: 'string', required: false, label: label('Name'), minLength: 2, maxLength: 4 },
  { name: 'registerWith', type: 'string', required: false, label: label('With'), options: [{ value: 'father', label: label('Father') }, { value: 'mother', label: label('Mother') }] },
  { name: 'seats', type: 'number', required: false, label: label('Seats'), integer: true, minimum: 1, maximum: 500 },
  { name: 'since', type: 'date', required: false, label: label('Since'), notFuture: true, earliest: '1900-01-01' },
  { name: 'opening', type: 'date', required: false, label: label('Opening'), notPast: true, latest: '2030-12-31' },
  { name: 'takeaway', type: 'boolean', required: false, label: label('Takeaway') },
];
const GOOD_ID = makeCitizenId({ region: '440305', birthDate: '1990-03-07', sequence: 123 });
const BAD_CHECK_ID = GOOD_ID.slice(0, 17) + (GOOD_ID[17] === '0' ? '1' : '0');

/** [case, field, value, expected issue code or null]; every other field is left valid. */
const TABLE: Array<[string, string, unknown, string | null]> = [
  ['a mobile number', 'phone', '13800138000', null],
  ['a landline with area code', 'phone', '0755-86001234', null],
  ['letters as a phone', 'phone', 'abc', 'phone'],
  ['a mobile number one digit short', 'phone', '1380013800', 'phone'],
  ['a blank required phone', 'phone', '  ', 'required'],
  ['a valid citizen ID', 'idNumber', GOOD_ID, null],
  ['a citizen ID with a wrong check character', 'idNumber', BAD_CHECK_ID, 'citizenId'],
  ['a citizen ID with a lowercase x', 'idNumber', '11010519491231002x', 'citizenId'],
  ['the standard example ID', 'idNumber', '11010519491231002X', null],
  ['a citizen ID with an impossible birth date', 'idNumber', '110105194902300021', 'citizenId'],
  ['the standard example credit code', 'creditCode', '91350100M000100Y43', null],
  ['a credit code with a wrong check character', 'creditCode', '91350100M000100Y44', 'creditCode'],
  ['a name within bounds', 'name', '王小明', null],
  ['a name too short', 'name', '王', 'minLength'],
  ['a name too long in characters', 'name', '欧阳小明明', 'maxLength'],
  ['an astral character counted once', 'name', '王𠀀', null],
  ['a listed option', 'registerWith', 'mother', null],
  ['an unlisted option', 'registerWith', 'grandmother', 'option'],
  ['a whole number in range', 'seats', 40, null],
  ['a fraction where whole numbers are asked', 'seats', 4.5, 'integer'],
  ['a number below the minimum', 'seats', 0, 'minimum'],
  ['a number above the maximum', 'seats', 501, 'maximum'],
  ['text where a number is asked', 'seats', '40', 'type'],
  ['today for a not-in-the-future date', 'since', TODAY, null],
  ['a start date in 2030', 'since', '2030-01-01', 'future'],
  ['a date before the earliest', 'since', '1899-12-31', 'earliest'],
  ['an impossible date', 'since', '2026-02-30', 'date'],
  ['yesterday for a not-in-the-past date', 'opening', '2026-05-31', 'past'],
  ['a date after the latest', 'opening', '2031-01-01', 'latest'],
  ['text where true/false is asked', 'takeaway', 'yes', 'type'],
  ['a field the form does not have', 'isAdmin', true, 'unknown'],
];

describe('form rules: the API and the pages agree', () => {
  let page: PageRules;
  before(async () => {
    page = (await import(PAGE_RULES)) as PageRules;
  });

  for (const [name, field, value, code] of TABLE) {
    it(`given ${name}, when both validators check it, then both answer ${code ?? 'no problem'}`, () => {
      const form = { phone: '13800138000', [field]: value };
      const codes = (issues: FormIssue[]) => issues.filter((i) => i.field === field).map((i) => i.code);
      const expected = code === null ? [] : [code];
      expect(codes(formIssues(FIELDS, form, TODAY)), 'domain').to.deep.equal(expected);
      expect(codes(page.formIssues(FIELDS, form, TODAY)), 'page').to.deep.equal(expected);
      // The whole issue (including the bound it names) is the same, so the page words it as the API would.
      expect(page.formIssues(FIELDS, form, TODAY)).to.deep.equal(formIssues(FIELDS, form, TODAY));
    });
  }
});
