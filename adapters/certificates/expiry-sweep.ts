/**
 * Expiry as an event even for certificates nobody looks at: once per local day (and at start) the sweep finds the
 * certificates whose last valid day has passed since the previous sweep and records `CertificateExpired` for each
 * (the registry's `state` does it, once per certificate: the append expects the stream's revision, so several
 * workers sweeping at once record it once). The day swept through is kept in the read store's meta, so a restart
 * resumes where the last sweep stopped instead of reading every certificate ever issued.
 */
import { localDate } from '../../domain/calendar/index.ts';
import type { Clock } from '../../domain/time/clock.ts';
import { activeCollection } from '../../projections/index.ts';
import { CASE_VIEW, CASE_VIEW_PROJECTION, CASE_VIEW_VERSION, type CaseView } from '../../projections/views/case-view/index.ts';
import type { ReadStore } from '../../domain/ports/read-store.ts';
import type { CertificateRegistry } from './registry.ts';

export const EXPIRY_SWEEP_META = 'certificate-expiry-sweep';
const PAGE = 200;

export interface ExpirySweepOptions {
  registry: Pick<CertificateRegistry, 'state'>;
  readStore: ReadStore;
  clock: Clock;
  timeZone: string;
  /** How often the local day is looked at (a clock read; the store is read only when the day changed). */
  checkEveryMs?: number;
  onError?: (error: unknown) => void;
  onSwept?: (result: { day: string; recorded: number }) => void;
}

/** One sweep for `day`: every certificate valid until a day in [previous sweep's day, day). Returns how many it looked at. */
export async function sweepExpired(options: Pick<ExpirySweepOptions, 'registry' | 'readStore'>, day: string): Promise<number> {
  const meta = await options.readStore.getMeta(EXPIRY_SWEEP_META);
  const from = typeof meta?.through === 'string' ? meta.through : null;
  if (from !== null && from >= day) return 0;
  const collection = await activeCollection(options.readStore, CASE_VIEW_PROJECTION, CASE_VIEW, { fallbackVersion: CASE_VIEW_VERSION });
  const range = from === null ? { lt: day } : { gte: from, lt: day };
  let seen = 0;
  for (let offset = 0; ; offset += PAGE) {
    const { items } = await options.readStore.find(collection, { where: { 'certificate.validUntil': range }, orderBy: [{ field: 'certificate.validUntil', direction: 'asc' }], limit: PAGE, offset });
    for (const view of items as unknown as CaseView[]) if (view.certificate) await options.registry.state(view);
    seen += items.length;
    if (items.length < PAGE) break;
  }
  await options.readStore.setMeta(EXPIRY_SWEEP_META, { through: day });
  return seen;
}

export function startExpirySweep(options: ExpirySweepOptions): { stop(): Promise<void> } {
  let lastDay: string | null = null;
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    const day = localDate(options.clock.now(), options.timeZone);
    if (day === lastDay) return;
    running = sweepExpired(options, day)
      .then((recorded) => {
        lastDay = day;
        options.onSwept?.({ day, recorded });
      })
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, options.checkEveryMs ?? 5_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
