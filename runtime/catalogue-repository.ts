import { validateServiceDefinition, type ServiceCatalogue } from '../domain/catalogue/index.ts';
import type { ServiceDefinition } from '../domain/catalogue/index.ts';
import { InvalidCommandError } from '../domain/case/errors.ts';
import type { Actor } from '../domain/events/index.ts';
import { isWrongExpectedVersion } from '../domain/events/index.ts';
import { eventIdFor } from '../workflows/index.ts';
import type { EventStore } from '../domain/ports/event-store.ts';

export const CATALOGUE_STREAM = 'catalogue';
export const SERVICE_VERSION_PUBLISHED = 'ServiceVersionPublished';

/**
 * The shipped definitions (files) plus every version an administrator published since (events in the catalogue
 * stream). Every API and worker process folds the same stream, so they agree on what version N of a service means.
 */
export function createCatalogueRepository(options: { catalogue: ServiceCatalogue; eventStore: EventStore; refreshAfterMs?: number }) {
  const { catalogue, eventStore } = options;
  let revision = -1n;
  let refreshedAt = 0;

  async function refresh(): Promise<void> {
    const events = await eventStore.readStream(CATALOGUE_STREAM, { fromRevision: revision + 1n });
    for (const event of events) {
      if (event.type === SERVICE_VERSION_PUBLISHED) {
        const definition = event.data.definition as ServiceDefinition;
        // A file may ship a version that was first published at run time; the first one in wins.
        if (!catalogue.get(definition.id, definition.version)) catalogue.publish(definition);
      }
      revision = event.revision;
    }
    refreshedAt = Date.now();
  }

  return {
    catalogue,
    refresh,
    /** Cheap enough to call before each command: reads only the catalogue events not yet seen, at most so often. */
    async ensureFresh(): Promise<void> {
      if (Date.now() - refreshedAt >= (options.refreshAfterMs ?? 2000)) await refresh();
    },
    get(id: string, version: number): ServiceDefinition | undefined {
      return catalogue.get(id, version);
    },
    latest(id: string): ServiceDefinition | undefined {
      return catalogue.latest(id);
    },
    /** Validates and publishes a new version; refused definitions write nothing. Idempotent by command id. */
    async publish(raw: unknown, actor: Actor, commandId: string): Promise<ServiceDefinition> {
      for (let attempt = 0; ; attempt++) {
        await refresh();
        const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown; version?: unknown }) : {};
        const existing = typeof id.id === 'string' && typeof id.version === 'number' ? catalogue.get(id.id, id.version) : undefined;
        if (existing && JSON.stringify(existing) === JSON.stringify(raw)) return existing;
        const checked = validateServiceDefinition(raw, catalogue.dataCatalogue);
        if (!checked.ok) throw new InvalidCommandError('PublishServiceVersion', checked.errors);
        const latest = catalogue.latest(checked.value.id);
        if (latest && checked.value.version <= latest.version) {
          throw new InvalidCommandError('PublishServiceVersion', [`version must be greater than the published v${latest.version}`]);
        }
        try {
          await eventStore.append(
            CATALOGUE_STREAM,
            [{
              type: SERVICE_VERSION_PUBLISHED,
              data: { definition: checked.value as unknown as Record<string, unknown> },
              metadata: { eventId: eventIdFor(commandId, 0), schemaVersion: 1, occurredAt: new Date().toISOString(), correlationId: commandId, causationId: commandId, actor, commandId },
            }],
            { expectedRevision: revision === -1n ? 'no_stream' : revision },
          );
        } catch (error) {
          if (isWrongExpectedVersion(error) && attempt < 3) continue;
          throw error;
        }
        await refresh();
        return checked.value;
      }
    },
  };
}

export type CatalogueRepository = ReturnType<typeof createCatalogueRepository>;
