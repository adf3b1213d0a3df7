// Row ids for the stock tables written in bulk (push rows, reservations): UUIDv7 like every id here.
import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/**
 * A UUIDv7 from a pool of random bytes refilled 4,096 ids at a time: uuid's own v7 asks for 16 fresh
 * random bytes per id, which took about a third of the CPU of a push round writing 90,000 rows.
 * Monotonic within the process as uuid's is — the sequence counts up within a millisecond — so rows
 * written one after another, in one round or two rounds in the same millisecond, sort in the order
 * they were made.
 */
const idPool = new Uint8Array(16 * 4096);
let idPoolAt = idPool.length;
const idClock = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };
export function pooledUuidv7(): string {
  if (idPoolAt + 16 > idPool.length) {
    randomFillSync(idPool);
    idPoolAt = 0;
  }
  const random = idPool.subarray(idPoolAt, (idPoolAt += 16));
  const now = Date.now();
  if (now > idClock.msecs) {
    idClock.msecs = now;
    idClock.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    idClock.seq = (idClock.seq + 1) | 0;
    if (idClock.seq === 0) idClock.msecs += 1;
  }
  return uuidv7({ random, msecs: idClock.msecs, seq: idClock.seq });
}
