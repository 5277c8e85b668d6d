import type { DataCatalogue } from '../domain/catalogue/index.ts';
import type { DemoLibrary } from '../domain/evidence/demo-library/index.ts';
import type { DevUser } from './auth/index.ts';

/**
 * Who one can sign in as in the embedded demo: each demo subject of the shared data library (every evidence path
 * has one), a clerk with every duty in each department that handles cases (its supervisor) and two colleagues without
 * the approver role, an auditor and two administrators (one drafts catalogue changes, the other approves them).
 */
export function demoUsers(library: DemoLibrary | null, catalogue: DataCatalogue): DevUser[] {
  const users: DevUser[] = [];
  for (const subject of library?.subjects ?? []) {
    const person = subject.subject.type === 'person' ? library?.persons.find((p) => p.citizenId === subject.subject.id) : undefined;
    const enterprise = subject.subject.type === 'enterprise' ? library?.enterprises.find((e) => e.creditCode === subject.subject.id) : undefined;
    const name = person?.name ?? enterprise?.enterpriseName ?? subject.key;
    users.push({
      userId: `citizen-${subject.key}`,
      label: `${name} — ${subject.description}`,
      principal: { kind: 'citizen', id: subject.subject.id, subjectType: subject.subject.type, name },
    });
  }
  for (const department of catalogue.departments()) {
    if (department.code === 'ERRAND') continue;
    users.push({
      userId: `clerk-${department.code.toLowerCase()}`,
      label: `${department.name['zh-CN']} / ${department.name.en} — clerk (intake, reviewer, approver)`,
      principal: { kind: 'clerk', id: `clerk-${department.code.toLowerCase()}`, department: department.code, roles: ['intake', 'reviewer', 'approver'], name: `${department.name.en} clerk` },
    });
    // Two colleagues without the approver (supervisor) role, so claiming, holding and assigning show in the demo.
    for (const n of [2, 3]) {
      users.push({
        userId: `clerk-${department.code.toLowerCase()}-${n}`,
        label: `${department.name['zh-CN']} / ${department.name.en} — clerk ${n} (intake, reviewer)`,
        principal: { kind: 'clerk', id: `clerk-${department.code.toLowerCase()}-${n}`, department: department.code, roles: ['intake', 'reviewer'], name: `${department.name.en} clerk ${n}` },
      });
    }
  }
  users.push(
    { userId: 'auditor', label: 'Auditor / 监察人员', principal: { kind: 'auditor', id: 'auditor-1', name: 'Auditor' } },
    { userId: 'admin', label: 'Administrator / 管理员', principal: { kind: 'admin', id: 'admin-1', name: 'Administrator' } },
    // Catalogue changes are approved by an administrator other than their author (four eyes): a second one to review.
    { userId: 'admin-reviewer', label: 'Catalogue reviewer / 目录审核管理员', principal: { kind: 'admin', id: 'admin-2', name: 'Catalogue reviewer' } },
  );
  return users;
}
