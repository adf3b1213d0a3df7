// Reads an import file in a worker thread of its own, so the thread that answers the UI keeps
// answering while a big sheet is unpacked and parsed, and a file that would need more memory than
// it may have ends that worker, not the station: the worker has a heap limit and a time limit, and
// either ends in a refusal in words. At most two files are read at once; the rest wait their turn.
import { Worker } from 'node:worker_threads';
import type { ApiError } from '../../shared/result.ts';
import { AppError, appErrorOf } from '../../shared/result.ts';
import { reasonError } from '../../shared/reasons.ts';
import { MAX_FILE_BYTES, READ_TIMEOUT_MS, WORKER_HEAP_MB } from './limits.ts';
import { IMPORT_EXTENSIONS, fileTooLarge, unsupportedType, type TableRead, type TableReadOptions } from './table.ts';

export interface ReadRequest {
  bytes: ArrayBuffer;
  fileName: string;
  options: TableReadOptions;
}

export type ReadReply = { ok: true; value: TableRead; threadId: number } | { ok: false; error: ApiError };

export interface ImportWorkerEntry {
  file: URL;
  execArgv?: string[];
}

/**
 * Where the worker's code is: worker-boot.mjs (registers tsx) beside this module in the source tree;
 * import-worker.mjs / .cjs beside the bundle (scripts/build-cli.mjs, scripts/build-electron.mjs).
 */
export function importWorkerEntry(here: string = import.meta.url): ImportWorkerEntry {
  const ext = /\.(ts|mjs|cjs|js)$/.exec(new URL(here).pathname)?.[1];
  if (ext === 'ts') return { file: new URL('./worker-boot.mjs', here), execArgv: [] };
  return { file: new URL(`./import-worker.${ext === 'cjs' ? 'cjs' : 'mjs'}`, here), execArgv: [] };
}

const MAX_READING = 2;
let reading = 0;
const waiting: (() => void)[] = [];

async function turn(): Promise<() => void> {
  if (reading >= MAX_READING) await new Promise<void>((resolve) => waiting.push(resolve));
  reading += 1;
  return () => {
    reading -= 1;
    waiting.shift()?.();
  };
}

export interface OffThreadOptions {
  entry?: ImportWorkerEntry;
  timeoutMs?: number;
  heapMb?: number;
}

/** readTable in a worker thread; resolves with the rows and the id of the thread that read them. */
export async function readTableOffThread<K extends string = string>(
  bytes: Uint8Array,
  fileName: string,
  options: TableReadOptions<K> = {},
  o: OffThreadOptions = {},
): Promise<{ table: TableRead<K>; threadId: number }> {
  // What is refused without reading is refused without a thread.
  const ext = /\.[^.]*$/.exec(fileName.toLowerCase())?.[0] ?? '';
  if (!(IMPORT_EXTENSIONS as readonly string[]).includes(ext)) {
    throw unsupportedType(fileName, ext);
  }
  if (bytes.byteLength > MAX_FILE_BYTES) throw fileTooLarge(fileName, bytes.byteLength);
  const done = await turn();
  try {
    return await new Promise((resolve, reject) => {
      const entry = o.entry ?? importWorkerEntry();
      const heapMb = o.heapMb ?? WORKER_HEAP_MB;
      const worker = new Worker(entry.file, {
        ...(entry.execArgv ? { execArgv: entry.execArgv } : {}),
        resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32 },
      });
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
        void worker.terminate();
      };
      const timeoutMs = o.timeoutMs ?? READ_TIMEOUT_MS;
      const seconds = Math.max(1, Math.round(timeoutMs / 1000));
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(
              reasonError(
                'import.read_timeout',
                { fileName, seconds },
                `Reading ${fileName} took longer than ${seconds} s and was stopped; the file is too large or complex: keep only the columns you need, or split it into several files`,
              ),
            ),
          ),
        timeoutMs,
      );
      worker.once('message', (reply: ReadReply) =>
        finish(() => (reply.ok ? resolve({ table: reply.value as TableRead<K>, threadId: reply.threadId }) : reject(appErrorOf(reply.error)))),
      );
      worker.once('error', (err: Error & { code?: string }) =>
        finish(() =>
          reject(
            err.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? reasonError(
                  'import.read_out_of_memory',
                  { fileName, heapMb },
                  `Reading ${fileName} needed more than the ${heapMb} MB memory limit and was stopped; the file is too large or complex: keep only the columns you need, or split it into several files`,
                )
              : new AppError('INTERNAL', `Reading the import file failed: ${err.message}`),
          ),
        ),
      );
      worker.once('exit', (code) => finish(() => reject(new AppError('INTERNAL', `The import reading thread exited unexpectedly (${code})`))));
      // A copy the worker owns: the caller's buffer may be a slice of a pooled one.
      const copy = new ArrayBuffer(bytes.byteLength);
      new Uint8Array(copy).set(bytes);
      const req: ReadRequest = { bytes: copy, fileName, options: options as TableReadOptions };
      worker.postMessage(req, [copy]);
    });
  } finally {
    done();
  }
}
