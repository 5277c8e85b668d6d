import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError } from '../../domain/case/errors.ts';
import type { CaseCommand } from '../../domain/case/commands.ts';
import type { CaseEvent } from '../../domain/case/events.ts';
import { plusCalendarDays } from '../../domain/calendar/index.ts';
import { applyEvents, caseMachineFor, decide, emptyCase, type CaseMachineEvent, type CaseState } from '../../workflows/index.ts';
import { step } from '../../workflows/index.ts';
import { COMMAND_POOL } from '../support/case-command-pool.ts';
import { COMMITMENT, INSTANT, JOINT, OOTS, SINGLE, APPLICANT, ENTERPRISE, environmentFor, noonOn } from '../support/case-fixtures.ts';

// The shared pool: its drafts carry forms the fixture services accept, so histories get past the draft.
const pool = COMMAND_POOL;

const services = [SINGLE, JOINT, INSTANT, COMMITMENT, OOTS];

describe('case lifecycle properties', () => {
  it('random command sequences only ever produce events that, replayed from scratch, rebuild exactly the decided state', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...services),
        fc.array(fc.tuple(fc.nat(pool.length - 1), fc.nat(3)), { minLength: 1, maxLength: 40 }),
        (definition, steps) => {
          const applicant = definition.applicantType === 'person' ? APPLICANT : ENTERPRISE;
          let state: CaseState = emptyCase(definition);
          const log: Array<{ type: string; data: Record<string, unknown>; at: string }> = [];
          let day = '2026-03-02';
          steps.forEach(([index, gap], n) => {
            day = plusCalendarDays(day, gap);
            const pick = pool[index]!(applicant, definition.department);
            const command = { ...pick, commandId: `c${n}`, caseId: 'case-1', ...(pick.type === 'DraftApplication' ? { serviceId: definition.id } : {}) } as CaseCommand;
            const now = noonOn(day);
            try {
              const decision = decide(command, state, environmentFor(definition, now));
              decision.events.forEach((e: CaseEvent) => log.push({ type: e.type, data: e.data as Record<string, unknown>, at: now.toISOString() }));
              state = decision.state;
            } catch (error) {
              // Refusals are fine; anything other than a domain error is a bug.
              expect(error).to.be.instanceOf(DomainError);
            }
          });
          const replayed = applyEvents(emptyCase(definition), log);
          expect(replayed.status).to.equal(state.status);
          expect(replayed.context).to.deep.equal(state.context);
          // The fold's reused actor scope must agree with xstate's public transition, event by event.
          const machine = caseMachineFor(definition);
          let publicSnapshot = emptyCase(definition).snapshot;
          for (const event of log) publicSnapshot = step(machine, publicSnapshot, event as unknown as CaseMachineEvent, false);
          expect(publicSnapshot.value).to.deep.equal(replayed.snapshot.value);
          expect(publicSnapshot.context).to.deep.equal(replayed.context);
        },
      ),
      { numRuns: 300 },
    );
  });
});
