// The page's copy of the form rules in domain/catalogue/form-rules.ts: the same constraints read from the service
// definition, the same issue codes, so a citizen learns every problem before sending and the API agrees.
// test/unit/form-rules.unit.spec.ts runs one table of values through both. No DOM here: importable from tests.

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function isLocalDate(value) {
  if (typeof value !== 'string') return false;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

/** GB 11643: 17 digits, a real birth date, and the MOD 11-2 check character (an uppercase X for 10). */
export function isCitizenId(id) {
  if (typeof id !== 'string' || !/^\d{17}[0-9X]$/.test(id)) return false;
  if (!isLocalDate(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(id[i]) * ID_WEIGHTS[i];
  return id[17] === ID_CHECK[sum % 11];
}

/** GB 32100: 18 characters of the 31-symbol alphabet, a 6-digit region, and the MOD 31 check character. */
export function isCreditCode(code) {
  if (typeof code !== 'string' || code.length !== 18) return false;
  if ([...code].some((ch) => !CREDIT_ALPHABET.includes(ch))) return false;
  if (!/^\d{6}$/.test(code.slice(2, 8))) return false;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += CREDIT_ALPHABET.indexOf(code[i]) * CREDIT_WEIGHTS[i];
  return code[17] === CREDIT_ALPHABET[(31 - (sum % 31)) % 31];
}

export function isBlank(value) {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function stringIssue(field, value) {
  const length = [...value].length;
  if (field.minLength !== undefined && length < field.minLength) return { code: 'minLength', limit: field.minLength };
  if (field.maxLength !== undefined && length > field.maxLength) return { code: 'maxLength', limit: field.maxLength };
  if (field.options && !field.options.some((o) => o.value === value)) return { code: 'option' };
  if (field.format === 'phone' && !PHONE.test(value)) return { code: 'phone' };
  if (field.format === 'citizenId' && !isCitizenId(value)) return { code: 'citizenId' };
  if (field.format === 'creditCode' && !isCreditCode(value)) return { code: 'creditCode' };
  return null;
}

function numberIssue(field, value) {
  if (field.integer && !Number.isInteger(value)) return { code: 'integer' };
  if (field.minimum !== undefined && value < field.minimum) return { code: 'minimum', limit: field.minimum };
  if (field.maximum !== undefined && value > field.maximum) return { code: 'maximum', limit: field.maximum };
  return null;
}

function dateIssue(field, value, today) {
  if (field.notFuture && value > today) return { code: 'future', limit: today };
  if (field.notPast && value < today) return { code: 'past', limit: today };
  if (field.earliest !== undefined && value < field.earliest) return { code: 'earliest', limit: field.earliest };
  if (field.latest !== undefined && value > field.latest) return { code: 'latest', limit: field.latest };
  return null;
}

/** The first problem of one answered value, or null: { field, code, limit? }. */
export function fieldIssue(field, value, today) {
  let issue = null;
  if (field.type === 'string') issue = typeof value === 'string' ? stringIssue(field, value) : { code: 'type' };
  else if (field.type === 'number') issue = typeof value === 'number' && Number.isFinite(value) ? numberIssue(field, value) : { code: 'type' };
  else if (field.type === 'boolean') issue = typeof value === 'boolean' ? null : { code: 'type' };
  else if (field.type === 'date') issue = isLocalDate(value) ? dateIssue(field, value, today) : { code: 'date' };
  return issue ? { field: field.name, ...issue } : null;
}

/** Every problem of the form (as readForm builds it), in form order then unknown fields. */
export function formIssues(fields, form, today) {
  const issues = [];
  for (const field of fields) {
    const value = form[field.name];
    if (isBlank(value)) {
      if (field.required) issues.push({ field: field.name, code: 'required' });
      continue;
    }
    const issue = fieldIssue(field, value, today);
    if (issue) issues.push(issue);
  }
  const known = new Set(fields.map((f) => f.name));
  for (const name of Object.keys(form)) if (!known.has(name)) issues.push({ field: name, code: 'unknown' });
  return issues;
}

/** Today's date in the browser's time zone, as YYYY-MM-DD. */
export function localToday(now = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
