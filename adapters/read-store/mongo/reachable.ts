import mongoose from 'mongoose';
import { MongoUnreachableError } from '../../../domain/ports/read-store.ts';

export { MongoUnreachableError };

/**
 * Asks the server for one `ping` within `timeoutMs`, on a client of its own that is closed afterwards. The read store's
 * own connection keeps the driver's patient server selection (30 s), which rides out an outage while running; at start
 * a wrong or dead address should instead stop the process at once with one line.
 */
export async function assertMongoReachable(url: string, timeoutMs = 5000): Promise<void> {
  const client = new mongoose.mongo.MongoClient(url, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    throw new MongoUnreachableError(`MongoDB at ${redacted(url)} did not answer: no answer within ${timeoutMs} ms (${redactedIn(reason, url)})`);
  } finally {
    await client.close().catch(() => undefined);
  }
}

function redacted(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** A driver message may quote the address it was given; never let it carry the password onto a terminal. */
function redactedIn(text: string, url: string): string {
  const credentials = /\/\/([^@/]*)@/.exec(url)?.[1];
  return credentials ? text.split(credentials).join('***') : text;
}
