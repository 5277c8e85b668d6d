export { WORK_QUEUE, WORK_QUEUE_CASES } from './document.ts';
export type { QueueAction, QueueCase, WorkItem } from './document.ts';
export { WORK_QUEUE_PROJECTION, WORK_QUEUE_VERSION, createWorkQueueProjector } from './projector.ts';
export type { WorkQueueDeps } from './projector.ts';
export { withItemDaysLeft, type ItemDaysLeft } from './days-left.ts';
