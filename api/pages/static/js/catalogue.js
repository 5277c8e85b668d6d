// Names for the codes the API returns: departments, data items and their fields (from /pages/catalogue.json), and
// the service definitions (from /api/v1/services). Loaded once per page.
import { errandPublic, send } from './api.js';
import { localized, t, tOr } from './i18n.js';

let labels = { departments: {}, dataItems: {} };
let labelsLoaded = null;
let serviceList = null;
const definitions = new Map();

export function loadLabels() {
  labelsLoaded ??= fetch('/pages/catalogue.json', { credentials: 'omit' })
    .then((response) => (response.ok ? response.json() : labels))
    .then((json) => {
      labels = json;
      return labels;
    })
    .catch(() => labels);
  return labelsLoaded;
}

export function departmentName(code) {
  if (!code) return '';
  const name = labels.departments?.[code];
  return name ? localized(name) : code;
}

export function dataItemName(id) {
  const item = labels.dataItems?.[id];
  // The platform's own records (the case itself) are not catalogue items; they have page texts instead of codes.
  return item ? localized(item.name) : tOr(`dataItem.${id}`, id);
}

export function fieldLabel(dataItem, field) {
  const label = labels.dataItems?.[dataItem]?.fields?.[field];
  if (label) return localized(label);
  // An uploaded file read back is recorded as "material:<id>"; the citizen and the auditor read it as words.
  if (typeof field === 'string' && field.startsWith('material:')) return t('fieldName.material');
  return tOr(`fieldName.${field}`, field);
}

export function providerOf(dataItem) {
  return labels.dataItems?.[dataItem]?.provider ?? null;
}

/** Every service (latest versions), for names and filters. */
export async function services() {
  serviceList ??= send(errandPublic.GET('/services')).then((body) => body.items ?? []);
  return serviceList;
}

/** One service definition, the version a case was made under when given. */
export async function definition(serviceId, version) {
  const key = `${serviceId}@${version ?? 'latest'}`;
  if (!definitions.has(key)) {
    const query = version ? { version } : {};
    definitions.set(key, send(errandPublic.GET('/services/{serviceId}', { params: { path: { serviceId }, query } })).catch((error) => {
      definitions.delete(key);
      throw error;
    }));
  }
  return definitions.get(key);
}

/** The service's name in the current language, or its id while unknown. */
export function serviceName(serviceId, list) {
  const found = list?.find((s) => s.id === serviceId);
  return found ? localized(found.name) : serviceId;
}

export function materialName(def, materialId) {
  const material = def?.materials?.find((m) => m.id === materialId);
  return material ? localized(material.name) : materialId;
}
