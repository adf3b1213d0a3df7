// Entry of an import-reading worker thread: reads one file (table.ts) and posts the rows back, or
// the refusal in words. One worker per file, ended after it answers; it has no database.
import { parentPort, threadId } from 'node:worker_threads';
import { AppError, apiErrorOf } from '../../shared/result.ts';
import type { ReadRequest, ReadReply } from './off-thread.ts';
import { readTable } from './table.ts';

parentPort?.once('message', async (req: ReadRequest) => {
  let reply: ReadReply;
  try {
    const value = await readTable(new Uint8Array(req.bytes), req.fileName, req.options);
    reply = { ok: true, value, threadId };
  } catch (err) {
    reply =
      err instanceof AppError
        ? { ok: false, error: apiErrorOf(err) }
        : { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } };
  }
  parentPort?.postMessage(reply);
});
