export type { Lease, LeaseManager } from '../../domain/ports/lease.ts';
export { createInProcessLeaseHub, type InProcessLeaseHub } from './in-process.ts';
export { startLeaseKeeper, type LeaseKeeper, type LeasedWork } from './keeper.ts';
export { planLeases } from './plan.ts';
export { leasesComponent, migrateLeases } from './migrations.ts';
