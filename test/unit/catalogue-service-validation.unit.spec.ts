import { expect } from 'chai';
import { loadDataCatalogue } from '../../adapters/files/index.ts';
import { validateServiceDefinition, type DataCatalogue } from '../../domain/catalogue/index.ts';

type Raw = Record<string, unknown> & { materials: Array<Record<string, unknown>>; form: Array<Record<string, unknown>> };

/** A valid person service at AMR; each spec breaks one rule. */
function base(): Raw {
  return {
    id: 'business-licence',
    version: 2,
    name: { 'zh-CN': '个体工商户登记', en: 'Individual business registration' },
    legalBasis: '《促进个体工商户发展条例》',
    department: 'AMR',
    coReviewers: [],
    applicantType: 'person',
    form: [
      { name: 'tradeName', type: 'string', required: true, label: { 'zh-CN': '字号', en: 'Trade name' }, maxLength: 50 },
      { name: 'capital', type: 'number', required: false, label: { 'zh-CN': '资金数额', en: 'Capital' } },
    ],
    materials: [
      {
        id: 'identity',
        kind: 'evidence',
        name: { 'zh-CN': '身份信息', en: 'Identity' },
        key: true,
        dataItem: 'household-registration',
        fields: ['citizenId', 'name', 'birthDate', 'registrationRegion'],
      },
      { id: 'photo', kind: 'upload', name: { 'zh-CN': '照片', en: 'Photo' }, key: false, mediaTypes: ['image/jpeg'], maxBytes: 2_000_000 },
    ],
    limits: {
      calendar: 'CN',
      dayKind: 'working',
      statutoryDays: 20,
      promisedDays: 10,
      warningDays: 2,
      extensionDays: 10,
      certificateDays: 10,
      supplementDays: 5,
    },
    instantApproval: {
      conditions: [
        { material: 'identity', field: 'registrationRegion', op: 'in', value: ['440305', '440304'] },
        { material: 'identity', field: 'birthDate', op: 'lte', value: '2008-01-01' },
      ],
    },
    fee: { amount: 0, currency: 'CNY' },
    outcome: { certificateType: 'business-licence', name: { 'zh-CN': '营业执照', en: 'Business licence' }, validityMonths: null },
  };
}

const evidence = (dataItem: string, fields: string[], id = 'extra') => ({
  id,
  kind: 'evidence',
  name: { 'zh-CN': '材料', en: 'Material' },
  key: false,
  dataItem,
  fields,
});

describe('service definition validation', () => {
  let data: DataCatalogue;
  before(() => {
    data = loadDataCatalogue();
  });

  function errorsOf(change: (def: Raw) => void): string[] {
    const def = base();
    change(def);
    const checked = validateServiceDefinition(def, data);
    expect(checked.ok, 'expected the definition to be refused').to.equal(false);
    return checked.ok ? [] : checked.errors;
  }

  it('given the base definition, when validated, then it passes and comes back frozen', () => {
    const checked = validateServiceDefinition(base(), data);
    expect(checked.ok ? [] : checked.errors).to.deep.equal([]);
    if (checked.ok) expect(Object.isFrozen(checked.value.limits)).to.equal(true);
  });

  it('given a missing and an unknown field, when validated, then both are named', () => {
    expect(
      errorsOf((d) => {
        delete d.legalBasis;
        d.colour = 'blue';
      }),
    ).to.deep.equal(['service "business-licence" v2: legalBasis is missing', 'service "business-licence" v2: colour is not a known field']);
  });

  it('given ill-typed fields, when validated, then each names its path and what it got', () => {
    expect(
      errorsOf((d) => {
        d.version = '2';
        d.coReviewers = 'FIRE';
        (d.form[0] as Record<string, unknown>).required = 'yes';
        (d.fee as Record<string, unknown>).currency = 'USD';
      }),
    ).to.deep.equal([
      'service "business-licence": version must be an integer 1..999999, got the string "2"',
      'service "business-licence": coReviewers must be an array, got the string "FIRE"',
      'service "business-licence": form[0].required must be true or false, got the string "yes"',
      'service "business-licence": fee.currency must be one of CNY, got the string "USD"',
    ]);
  });

  it('given something that is not an object, when validated, then the root is refused', () => {
    const checked = validateServiceDefinition('business-licence', data);
    expect(checked.ok ? [] : checked.errors).to.deep.equal(['service (without id): (root) must be an object, got the string "business-licence"']);
  });

  it('given a promised limit longer than the statutory one, when validated, then it is refused', () => {
    expect(errorsOf((d) => ((d.limits as Record<string, unknown>).promisedDays = 25))).to.deep.equal([
      'service "business-licence" v2: limits.promisedDays 25 is longer than statutoryDays 20: a promised limit may only be shorter',
    ]);
  });

  it('given a warning that would come before the case starts, when validated, then it is refused', () => {
    expect(errorsOf((d) => ((d.limits as Record<string, unknown>).warningDays = 10))[0]).to.match(/limits\.warningDays 10 must be less than promisedDays 10/);
  });

  it('given a follow-up limit (容缺), when it is a whole number of days it passes; zero or a fraction is refused', () => {
    const ok = base();
    (ok.limits as Record<string, unknown>).followUpDays = 10;
    const checked = validateServiceDefinition(ok, data);
    expect(checked.ok ? [] : checked.errors).to.deep.equal([]);
    if (checked.ok) expect(checked.value.limits.followUpDays).to.equal(10);
    expect(errorsOf((d) => ((d.limits as Record<string, unknown>).followUpDays = 0))[0]).to.match(/limits\.followUpDays/);
    expect(errorsOf((d) => ((d.limits as Record<string, unknown>).followUpDays = 2.5))[0]).to.match(/limits\.followUpDays/);
  });

  it('given unknown departments, when validated, then the lead and each co-reviewer are named', () => {
    expect(
      errorsOf((d) => {
        d.department = 'MOON';
        d.coReviewers = ['FIRE', 'MARS'];
        delete d.instantApproval;
      }),
    ).to.deep.equal([
      'service "business-licence" v2: department "MOON" is not a known department',
      'service "business-licence" v2: coReviewers[1] "MARS" is not a known department',
    ]);
  });

  it('given the lead department as its own co-reviewer, when validated, then it is refused', () => {
    expect(
      errorsOf((d) => {
        d.coReviewers = ['AMR'];
        delete d.instantApproval;
      }),
    ).to.deep.equal(['service "business-licence" v2: coReviewers[0] "AMR" is the lead department and cannot also co-review']);
  });

  it('given instant approval with co-reviewers, when validated, then it is refused', () => {
    expect(errorsOf((d) => (d.coReviewers = ['FIRE']))).to.deep.equal([
      'service "business-licence" v2: instantApproval cannot be combined with co-reviewers: a joint review always needs their opinions',
    ]);
  });

  it('given a material referencing an unknown data item, when validated, then it is refused', () => {
    expect(errorsOf((d) => d.materials.push(evidence('horoscope', ['sign'])))).to.deep.equal([
      'service "business-licence" v2: materials[2].dataItem "horoscope" is not in the data catalogue',
    ]);
  });

  it('given a material asking for a data item that is not shared, when validated, then it is refused', () => {
    expect(errorsOf((d) => d.materials.splice(1, 0, evidence('criminal-record', ['hasRecord'])))).to.deep.equal([
      'service "business-licence" v2: materials[1].dataItem "criminal-record" is not shared',
    ]);
  });

  it('given a conditional item whose departments exclude this service department, when validated, then it is refused', () => {
    expect(errorsOf((d) => d.materials.push(evidence('marriage-record', ['maritalStatus'])))).to.deep.equal([
      'service "business-licence" v2: materials[2].dataItem "marriage-record" is shared only with services [] and departments ' +
        '[HOUSING, PSB, NRB, HEALTH, CAB], not with this service or its department AMR',
    ]);
  });

  it('given a conditional item shared with named services, when another service asks, then it is refused; when a named one asks, then it passes', () => {
    const permit = evidence('errand-residence-permit', ['validUntil']);
    expect(errorsOf((d) => d.materials.push(permit))[0]).to.match(/"errand-residence-permit" is shared only with services \[public-rental-housing\]/);
    const named = base();
    named.id = 'public-rental-housing';
    named.materials.push(permit);
    expect(validateServiceDefinition(named, data).ok).to.equal(true);
  });

  it('given fields the data item does not have, when validated, then each is named', () => {
    expect(errorsOf((d) => ((d.materials[0] as Record<string, unknown>).fields = ['citizenId', 'shoeSize', 'birthDate', 'registrationRegion']))).to.deep.equal([
      'service "business-licence" v2: materials[0].fields[1] "shoeSize" is not a field of data item "household-registration"',
    ]);
  });

  it('given an enterprise item for a person applicant, when validated, then the subject mismatch is refused', () => {
    expect(errorsOf((d) => d.materials.push(evidence('business-registration', ['status'])))).to.deep.equal([
      'service "business-licence" v2: materials[2].dataItem "business-registration" is about an enterprise but the applicant is a person: ' +
        "evidence is fetched by the applicant's own identity",
    ]);
  });

  it('given two materials with the same id, when validated, then the duplicate is refused', () => {
    expect(errorsOf((d) => d.materials.push(evidence('property-ownership', ['propertiesOwned'], 'photo')))).to.deep.equal([
      'service "business-licence" v2: materials[2].id "photo" is used by an earlier material',
    ]);
  });

  it('given an upload with a bad media type and size, when validated, then both are named', () => {
    expect(
      errorsOf((d) => {
        d.materials[1] = { ...d.materials[1], mediaTypes: ['jpeg'], maxBytes: 0 };
      }),
    ).to.deep.equal([
      'service "business-licence" v2: materials[1].mediaTypes[0] "jpeg" is not a media type such as "image/jpeg"',
      'service "business-licence" v2: materials[1].maxBytes must be an integer 1..52428800, got number 0',
    ]);
  });

  it('given instant-approval conditions naming unknown materials or fields, when validated, then each is refused', () => {
    expect(
      errorsOf((d) => {
        d.instantApproval = {
          conditions: [
            { material: 'tax', field: 'arrearsAmount', op: 'eq', value: 0 },
            { material: 'photo', field: 'width', op: 'exists' },
            { material: 'identity', field: 'sex', op: 'eq', value: 'male' },
          ],
        };
      }),
    ).to.deep.equal([
      'service "business-licence" v2: instantApproval.conditions[0].material "tax" is not a material of this service',
      'service "business-licence" v2: instantApproval.conditions[1].material "photo" is an upload: rules can only read evidence fields',
      'service "business-licence" v2: instantApproval.conditions[2].field "sex" is not among the fields material "identity" requests',
    ]);
  });

  it('given condition values of the wrong type or op, when validated, then each is refused', () => {
    expect(
      errorsOf((d) => {
        d.instantApproval = {
          conditions: [
            { material: 'identity', field: 'birthDate', op: 'lte', value: 2008 },
            { material: 'identity', field: 'name', op: 'notExpired' },
            { material: 'identity', field: 'registrationRegion', op: 'in', value: '440305' },
            { material: 'identity', field: 'citizenId', op: 'exists', value: true },
            { material: 'identity', field: 'citizenId', op: 'like', value: '44%' },
          ],
        };
      }),
    ).to.deep.equal([
      'service "business-licence" v2: instantApproval.conditions[0].value must be a date YYYY-MM-DD like the field, got number 2008',
      'service "business-licence" v2: instantApproval.conditions[1].op "notExpired" needs a date field, and "name" is string',
      'service "business-licence" v2: instantApproval.conditions[2].value must be an array, got the string "440305"',
      'service "business-licence" v2: instantApproval.conditions[3].value must be absent for op "exists"',
      'service "business-licence" v2: instantApproval.conditions[4].op must be one of eq, ne, gt, gte, lt, lte, in, exists, notExpired, got the string "like"',
    ]);
  });

  it('given duplicate form fields and a maxLength on a number, when validated, then both are refused', () => {
    expect(
      errorsOf((d) => {
        d.form.push({ name: 'tradeName', type: 'string', required: false, label: { 'zh-CN': '字号', en: 'Trade name' } });
        d.form[1] = { ...d.form[1], maxLength: 10 };
      }),
    ).to.deep.equal([
      'service "business-licence" v2: form[1].maxLength only applies to string fields, and "capital" is number',
      'service "business-licence" v2: form[2].name "tradeName" is used by an earlier form field',
    ]);
  });

  it('given form constraints on the wrong field type, an unknown format and crossed bounds, when validated, then each is refused', () => {
    const errors = errorsOf((d) => {
      d.form[0] = { ...d.form[0], format: 'email' };
      d.form[1] = { ...d.form[1], format: 'phone', minimum: 10, maximum: 5 };
    });
    expect(errors.some((e) => /form\[0\]\.format/.test(e)), errors.join('\n')).to.equal(true);
    expect(errors).to.include('service "business-licence" v2: form[1].format only applies to string fields, and "capital" is number');
    expect(errors).to.include('service "business-licence" v2: form[1] its lower bound 10 is above its upper bound 5');
  });

  it('given every form constraint keyword used as intended, when validated, then the definition is accepted', () => {
    const def = base();
    def.form[0] = { ...def.form[0], minLength: 2, maxLength: 20, format: 'creditCode' };
    def.form[1] = { ...def.form[1], minimum: 0, maximum: 1000, integer: true };
    def.form.push({ name: 'since', type: 'date', required: false, label: { 'zh-CN': '日期', en: 'Since' }, notFuture: true, earliest: '1900-01-01' });
    def.form.push({ name: 'kind', type: 'string', required: false, label: { 'zh-CN': '类别', en: 'Kind' }, options: [{ value: 'a', label: { 'zh-CN': '甲', en: 'A' } }] });
    const checked = validateServiceDefinition(def, data);
    expect(checked.ok ? [] : checked.errors).to.deep.equal([]);
  });

  it('given a commitment without a verification period, when validated, then it is refused', () => {
    expect(errorsOf((d) => (d.commitment = { verifyWithinDays: 0 }))).to.deep.equal([
      'service "business-licence" v2: commitment.verifyWithinDays must be an integer 1..366, got number 0',
    ]);
  });

  it('given several mistakes, when validated, then all are reported in one pass', () => {
    const errors = errorsOf((d) => {
      delete d.outcome;
      d.department = 'MOON';
      (d.limits as Record<string, unknown>).dayKind = 'lunar';
    });
    expect(errors).to.have.length(3);
  });
});

describe('service definition schema (domain/catalogue/schema/service-definition.schema.json)', () => {
  let data: DataCatalogue;
  before(() => {
    data = loadDataCatalogue();
  });

  const errorsOf = (change: (def: Raw) => void): string[] => {
    const def = base();
    change(def);
    const checked = validateServiceDefinition(def, data);
    return checked.ok ? [] : checked.errors;
  };

  it('given materials without a kind, of an unknown kind or not objects, when validated, then each is named once and nothing else of it', () => {
    expect(
      errorsOf((d) => {
        d.materials.push({ id: 'a', name: { 'zh-CN': '甲', en: 'A' }, key: true }, { id: 'b', kind: 'video', colour: 'red' } as never, 'photo' as never);
      }),
    ).to.deep.equal([
      'service "business-licence" v2: materials[2].kind is missing',
      'service "business-licence" v2: materials[3].kind must be one of evidence, upload, got the string "video"',
      'service "business-licence" v2: materials[4] must be an object, got the string "photo"',
    ]);
  });

  it('given an evidence material with upload members, when validated, then the members of the other kind are unknown', () => {
    expect(errorsOf((d) => Object.assign(d.materials[0]!, { maxBytes: 10 }))).to.deep.equal(['service "business-licence" v2: materials[0].maxBytes is not a known field']);
  });

  it('given blank texts, ids that are not kebab-case and repeated list entries, when validated, then the schema words them like the catalogue', () => {
    expect(
      errorsOf((d) => {
        d.id = 'Business_Licence';
        d.legalBasis = '   ';
        (d.materials[0] as Record<string, unknown>).fields = ['citizenId', 'name', 'birthDate', 'registrationRegion', 'name'];
      }),
    ).to.deep.equal([
      'service "Business_Licence" v2: id "Business_Licence" must be a lower-case kebab-case id such as "business-licence"',
      'service "Business_Licence" v2: legalBasis must be a non-empty string, got the string "   "',
      'service "Business_Licence" v2: materials[0].fields[4] "name" is listed twice',
    ]);
  });
});
