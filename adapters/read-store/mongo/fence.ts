import type mongoose from 'mongoose';
import { FencedWriteError } from '../fence.ts';

export interface FenceRow {
  _id: string;
  token: number;
  /** Counts fenced flushes: what makes each check a real write (see checkFence). */
  writes?: number;
}
type Fences = mongoose.mongo.Collection<FenceRow>;

/**
 * Inside the flush's transaction. It writes the fence document, so a raise meanwhile is a write conflict: it waits
 * for the flush's transaction, or withTransaction retries the flush, which then sees the new token and throws. The
 * write must change the document: setting the token it already holds is a no-op MongoDB does not write, which takes
 * no lock, and a raise then returned while the deposed holder's flush still committed. So it counts the flush too.
 * On a standalone server or FerretDB (no transactions) the check is only as good as the moment it runs.
 */
export async function checkFence(fences: Fences, projection: string, token: number, session?: mongoose.mongo.ClientSession): Promise<void> {
  const result = await fences.updateOne({ _id: projection, token: { $lte: token } }, { $set: { token }, $inc: { writes: 1 } }, { session });
  if (result.matchedCount === 1) return;
  const current = await fences.findOne({ _id: projection }, { session });
  if (current && current.token > token) throw new FencedWriteError(projection, token, current.token);
}

export async function raiseFence(fences: Fences, projection: string, token: number): Promise<void> {
  const result = await fences.updateOne({ _id: projection }, { $max: { token } }, { upsert: true });
  if (result.upsertedCount === 1 || result.modifiedCount === 1) return;
  const current = await fences.findOne({ _id: projection });
  if (current && current.token > token) throw new FencedWriteError(projection, token, current.token);
}
