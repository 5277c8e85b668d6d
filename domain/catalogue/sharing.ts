/** Who may receive a data item under its sharing class (国发〔2016〕51号). Every evidence request goes through this. */
import type { DataItem } from './types.ts';

export interface DataConsumer {
  /** Service id of the case asking. */
  service: string;
  /** Department code of the service's lead department. */
  department: string;
}

export type SharingDecision = { allowed: true } | { allowed: false; reason: string };

export function sharingDecision(item: DataItem, consumer: DataConsumer): SharingDecision {
  switch (item.sharing) {
    case 'unconditional':
      return { allowed: true };
    case 'not_shared':
      return { allowed: false, reason: `data item "${item.id}" is not shared` };
    case 'conditional': {
      const byService = item.allowedServices?.includes(consumer.service) ?? false;
      const byDepartment = item.allowedDepartments?.includes(consumer.department) ?? false;
      if (byService || byDepartment) return { allowed: true };
      return {
        allowed: false,
        reason:
          `data item "${item.id}" is shared only with services [${(item.allowedServices ?? []).join(', ')}] ` +
          `and departments [${(item.allowedDepartments ?? []).join(', ')}]; ` +
          `service "${consumer.service}" of department "${consumer.department}" is neither`,
      };
    }
  }
}
