// Writes to stdout with backpressure, so a 100 000-order JSON listing streams instead of buffering.
import { once } from 'node:events';

export async function writeOut(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}
