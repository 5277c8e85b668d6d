/**
 * A request body read whole, up to `limit` bytes; null once it grows past the limit. Reading stops there, so the rest
 * of an oversized upload is never held in memory (the route answers 413 and stores nothing).
 */
export async function readBodyWithin(req: NodeJS.ReadableStream, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
