import mongoose from 'mongoose';
import type { Doc } from '../../../domain/ports/read-store.ts';

/** One projected document: the projection's collection name, its id and the document itself. */
export interface DocRow {
  /** JSON [collection, id]: one unique key without a compound _id, which FerretDB and MongoDB treat alike. */
  _id: string;
  c: string;
  i: string;
  d: Doc;
}

/** A projection's place in the log, as decimal strings (BSON has no unsigned 64-bit integer). */
export interface CheckpointRow {
  _id: string;
  commit: string;
  prepare: string;
  /** The log's hash link at the checkpoint's event (Checkpoint.link); absent where the log keeps none. */
  link?: string;
}

export interface MetaRow {
  _id: string;
  v: Doc;
}

export interface ReadModels {
  docs: mongoose.Model<DocRow>;
  checkpoints: mongoose.Model<CheckpointRow>;
  meta: mongoose.Model<MetaRow>;
}

/**
 * The document body is Mixed: every projection has its own shape, checked by the projector and the port
 * (assertDoc), not by a schema per view. minimize is off because an empty object is part of a view's JSON.
 * autoIndex is off so the indexes are built once, awaited, in `syncReadModels` rather than racing the first write.
 */
const options = { versionKey: false, minimize: false, autoIndex: false, autoCreate: false, strict: 'throw' } as const;

const docSchema = new mongoose.Schema<DocRow>(
  {
    _id: { type: String, required: true },
    c: { type: String, required: true },
    i: { type: String, required: true },
    d: { type: mongoose.Schema.Types.Mixed, required: true },
  },
  options,
);
// find() always filters by collection and breaks ties by id; dropCollection deletes by collection.
docSchema.index({ c: 1, i: 1 }, { unique: true });

const checkpointSchema = new mongoose.Schema<CheckpointRow>(
  {
    _id: { type: String, required: true },
    commit: { type: String, required: true, match: /^\d+$/ },
    prepare: { type: String, required: true, match: /^\d+$/ },
    link: { type: String, required: false, match: /^[0-9a-f]{64}$/ },
  },
  options,
);

const metaSchema = new mongoose.Schema<MetaRow>(
  {
    _id: { type: String, required: true },
    v: { type: mongoose.Schema.Types.Mixed, required: true },
  },
  options,
);

/** The three models on `connection`, named after their collections so several prefixes can share a connection. */
export function readModels(connection: mongoose.Connection, prefix: string): ReadModels {
  const model = <T>(suffix: string, schema: mongoose.Schema<T>) => {
    const name = `${prefix}${suffix}`;
    return (connection.models[name] as mongoose.Model<T> | undefined) ?? connection.model<T>(name, schema, name);
  };
  return { docs: model('docs', docSchema), checkpoints: model('checkpoints', checkpointSchema), meta: model('meta', metaSchema) };
}

/** Creates the collections and the indexes the schemas declare. */
export async function syncReadModels(models: ReadModels): Promise<void> {
  await sync(models.docs);
  await sync(models.checkpoints);
  await sync(models.meta);
}

async function sync<T>(model: mongoose.Model<T>): Promise<void> {
  await model.createCollection().catch((error: unknown) => {
    // Another process (or suite) created it first: fine, the indexes below are what matter.
    if (!(error instanceof Error && /already exists/i.test(error.message))) throw error;
  });
  await model.createIndexes();
}
