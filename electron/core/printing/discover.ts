// printers.discover: the printers this machine can reach without configuration — CUPS queues
// (`lpstat -e` names them, `lpstat -v` says what device each one is) where CUPS is installed, and
// USB printer device files /dev/usb/lp*. Nothing else: no network scan, no Windows spooler listing.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DiscoveredPrinter } from '../../shared/contract.ts';
import type { Db } from '../db/open.ts';
import { listPrinters } from './printers.ts';

function run(file: string, args: string[], timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    // No CUPS (ENOENT), no scheduler running (exit 1): nothing to list, not an error.
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: 'C' } }, (err, stdout) => resolve(err ? null : stdout));
  });
}

/** `lpstat -v` lines: "device for QUEUE: URI" (LANG=C so the words are English). */
export function parseLpstatDevices(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^device for ([^:]+):\s*(.*)$/.exec(line.trim());
    if (m) out.set(m[1] as string, (m[2] as string).trim());
  }
  return out;
}

export interface DiscoverOptions {
  lpstat?: string;
  usbDir?: string;
  timeoutMs?: number;
}

export async function discoverPrinters(db: Db, opts: DiscoverOptions = {}): Promise<DiscoveredPrinter[]> {
  const lpstat = opts.lpstat ?? process.env.SHOPFLEET_LPSTAT ?? 'lpstat';
  const timeoutMs = opts.timeoutMs ?? 3000;
  const [queues, devices] = await Promise.all([run(lpstat, ['-e'], timeoutMs), run(lpstat, ['-v'], timeoutMs)]);
  const deviceOf = parseLpstatDevices(devices ?? '');
  const names = new Set((queues ?? '').split('\n').map((l) => l.trim()).filter(Boolean));
  for (const n of deviceOf.keys()) names.add(n);
  const known = new Map(listPrinters(db).map((p) => [p.uri, p.id]));
  const found: DiscoveredPrinter[] = [...names].sort().map((name) => ({ uri: `cups:${name}`, name, source: 'cups', detail: deviceOf.get(name) ?? '', printerId: known.get(`cups:${name}`) ?? null }));
  const usbDir = opts.usbDir ?? '/dev/usb';
  const entries = await fs.readdir(usbDir).catch(() => [] as string[]);
  for (const e of entries.filter((n) => /^lp\d+$/.test(n)).sort()) {
    const file = path.join(usbDir, e);
    found.push({ uri: `usb:${file}`, name: `USB ${e}`, source: 'usb', detail: file, printerId: known.get(`usb:${file}`) ?? null });
  }
  return found;
}
