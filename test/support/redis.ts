export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Distinct BullMQ prefixes keep concurrent suites and runs apart on one Redis. */
export function testPrefix(label: string): string {
  return `errand-test-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
