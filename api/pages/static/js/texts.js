// Every text the pages show, in Chinese and English, by key: split by the pages that use them.
import { CITIZEN_TEXTS } from './texts-citizen.js';
import { COMMON_TEXTS } from './texts-common.js';
import { DOCUMENT_TEXTS } from './texts-documents.js';
import { STAFF_TEXTS } from './texts-staff.js';
import { NOTIFICATION_TEXTS } from './texts-notifications.js';
import { OFFICE_TEXTS } from './texts-office.js';

export const TEXTS = { ...COMMON_TEXTS, ...CITIZEN_TEXTS, ...STAFF_TEXTS, ...NOTIFICATION_TEXTS, ...DOCUMENT_TEXTS, ...OFFICE_TEXTS };
