// The station's printers: add, list, update, remove, pause and resume — each an audited command
// through runCommand — with validation that says in Chinese what is wrong.
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { Role } from '../../shared/model.ts';
import { CREW, MANAGERS } from '../../shared/roles.ts';
import { AppError } from '../../shared/result.ts';
import { PRINTER_DOCUMENT_TYPES, PRINTER_DPIS, printerSettingFields, type PrinterDocumentType } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { Db } from '../db/open.ts';
import type { Columns, StoredPrinter } from '../db/rows.ts';
import { PRINTER_LANGS, type PrinterLang } from './status.ts';
import { devicePathProblem } from './transports/device.ts';
import { formatPrinterUri, parsePrinterUri, PrinterUriError, type PrinterAddress } from './uri.ts';

/** The API's list of the documents a printer can be given. */
export const PRINTER_DOCUMENTS = PRINTER_DOCUMENT_TYPES;
export type PrinterDocument = PrinterDocumentType;
export { PRINTER_DPIS };

/**
 * Per-printer settings. The known keys are typed (the API's list); others pass through so the label
 * templates can keep their own (template per carrier, field offsets) without a change here.
 */
export const printerSettingsSchema = z.looseObject(printerSettingFields).partial();
export type PrinterSettings = z.infer<typeof printerSettingsSchema>;

const nameSchema = z.string({ error: '请填写打印机名称' }).trim().min(1, '请填写打印机名称').max(40, '打印机名称最多 40 个字');
const printerFields = {
  name: nameSchema,
  uri: z.string({ error: '请填写打印机地址' }),
  lang: z.enum(PRINTER_LANGS, { error: '打印语言应为 tspl、zpl、escpos 或 pdf' }),
  dpi: z
    .number({ error: '分辨率应为 203 或 300 dpi' })
    .int()
    .refine((d) => (PRINTER_DPIS as readonly number[]).includes(d), '分辨率应为 203 或 300 dpi'),
  documents: z
    .array(z.enum(PRINTER_DOCUMENTS, { error: '单据类型应为 waybill（面单）、pick_list（拣货单）或 packing_slip（发货单）' }))
    .refine((d) => new Set(d).size === d.length, '单据类型有重复'),
  settings: printerSettingsSchema,
};
export const printerAddSchema = z.object({ ...printerFields, dpi: printerFields.dpi.default(203), documents: printerFields.documents.default([]), settings: printerSettingsSchema.default({}) }).strict();
export const printerUpdateSchema = z.object(printerFields).partial().strict();
export type PrinterAddInput = z.input<typeof printerAddSchema>;
export type PrinterUpdateInput = z.input<typeof printerUpdateSchema>;

export interface Printer {
  id: string;
  name: string;
  uri: string;
  lang: PrinterLang;
  dpi: number;
  documents: PrinterDocument[];
  settings: PrinterSettings;
  paused: boolean;
  createdAt: number;
}

type PrinterRow = Columns<StoredPrinter>;

const toPrinter = (r: PrinterRow): Printer => ({
  id: r.id,
  name: r.name,
  uri: r.uri,
  lang: r.lang as PrinterLang,
  dpi: r.dpi,
  documents: JSON.parse(r.documents) as PrinterDocument[],
  settings: JSON.parse(r.settings) as PrinterSettings,
  paused: r.paused === 1,
  createdAt: r.created_at,
});

/** Who may configure printers, and who may stop/start a lane (a packer must be able to pause at once). */
const CONFIGURE: readonly Role[] = MANAGERS;
const PAUSE: readonly Role[] = CREW;

export function requireRole(ctx: CoreContext, roles: readonly Role[], what: string): void {
  if (!roles.includes(ctx.actor.role)) {
    throw reasonError('method.not_allowed', { role: ctx.actor.role, method: what }, `${ctx.actor.name} (${ctx.actor.role}) may not ${what}`);
  }
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  throw new AppError('VALIDATION_FAILED', `${where}${first?.message ?? '输入无效'}`, { issues: r.error.issues });
}

function canonicalUri(uri: string): string {
  let address: PrinterAddress;
  try {
    address = parsePrinterUri(uri);
  } catch (err) {
    if (err instanceof PrinterUriError) throw new AppError('VALIDATION_FAILED', err.message, { field: 'uri' });
    throw err;
  }
  // A device address must not name a file that exists and is not a device (sending checks again).
  const problem = address.kind === 'usb' ? devicePathProblem(address.path) : null;
  if (problem) throw new AppError('VALIDATION_FAILED', problem, { field: 'uri' });
  return formatPrinterUri(address);
}

export function listPrinters(db: Db): Printer[] {
  return (db.$client.prepare('SELECT * FROM printers ORDER BY name').all() as PrinterRow[]).map(toPrinter);
}

export function getPrinter(db: Db, id: string): Printer | null {
  const row = db.$client.prepare('SELECT * FROM printers WHERE id = ?').get(id) as PrinterRow | undefined;
  return row ? toPrinter(row) : null;
}

export function findPrinter(db: Db, idOrName: string): Printer | null {
  const row = db.$client.prepare('SELECT * FROM printers WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1').get(idOrName, idOrName, idOrName) as PrinterRow | undefined;
  return row ? toPrinter(row) : null;
}

function mustGet(db: Db, id: string): Printer {
  const p = getPrinter(db, id);
  if (!p) throw reasonError('printer.not_found', { printerId: id }, `No printer ${id}`);
  return p;
}

function nameTaken(db: Db, name: string, exceptId: string | null): boolean {
  return db.$client.prepare('SELECT 1 FROM printers WHERE name = ? AND id IS NOT ?').get(name, exceptId) !== undefined;
}

export function addPrinter(ctx: CoreContext, input: PrinterAddInput): Printer {
  requireRole(ctx, CONFIGURE, 'add printers');
  const v = parse(printerAddSchema, input);
  const uri = canonicalUri(v.uri);
  return runCommand(ctx, 'printers.add', { ...v, uri }, { tables: ['printers'] }, (scope) => {
    if (nameTaken(ctx.db, v.name, null)) throw reasonError('printer.name_taken', { name: v.name }, `A printer named "${v.name}" already exists`);
    const id = uuidv7();
    ctx.db.$client
      .prepare('INSERT INTO printers (id, name, uri, lang, dpi, documents, settings, paused, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)')
      .run(id, v.name, uri, v.lang, v.dpi, JSON.stringify(v.documents), JSON.stringify(v.settings), scope.at);
    const printer = mustGet(ctx.db, id);
    scope.audit({ entity: 'printer', entityId: id, after: printer });
    return printer;
  });
}

export function updatePrinter(ctx: CoreContext, id: string, patch: PrinterUpdateInput): Printer {
  requireRole(ctx, CONFIGURE, 'change printers');
  const v = parse(printerUpdateSchema, patch);
  const uri = v.uri === undefined ? undefined : canonicalUri(v.uri);
  return runCommand(ctx, 'printers.update', { id, ...v, ...(uri ? { uri } : {}) }, { tables: ['printers'] }, (scope) => {
    const before = mustGet(ctx.db, id);
    if (v.name !== undefined && nameTaken(ctx.db, v.name, id)) throw reasonError('printer.name_taken', { name: v.name }, `A printer named "${v.name}" already exists`);
    const next = {
      name: v.name ?? before.name,
      uri: uri ?? before.uri,
      lang: v.lang ?? before.lang,
      dpi: v.dpi ?? before.dpi,
      documents: v.documents ?? before.documents,
      settings: v.settings ?? before.settings,
    };
    ctx.db.$client
      .prepare('UPDATE printers SET name = ?, uri = ?, lang = ?, dpi = ?, documents = ?, settings = ? WHERE id = ?')
      .run(next.name, next.uri, next.lang, next.dpi, JSON.stringify(next.documents), JSON.stringify(next.settings), id);
    for (const field of Object.keys(next) as (keyof typeof next)[]) {
      if (JSON.stringify(before[field]) !== JSON.stringify(next[field])) scope.audit({ entity: 'printer', entityId: id, field, before: before[field], after: next[field] });
    }
    return mustGet(ctx.db, id);
  });
}

/**
 * Removes a printer that has never printed. print_jobs keeps its printer (the history of what was
 * printed where), so a printer with jobs is refused — pause it instead.
 */
export function removePrinter(ctx: CoreContext, id: string): void {
  requireRole(ctx, CONFIGURE, 'remove printers');
  runCommand(ctx, 'printers.remove', { id }, { tables: ['printers'] }, (scope) => {
    const before = mustGet(ctx.db, id);
    const jobs = (ctx.db.$client.prepare('SELECT count(*) AS n FROM print_jobs WHERE printer_id = ?').get(id) as { n: number }).n;
    if (jobs > 0) throw reasonError('printer.has_history', { name: before.name, jobs }, `Printer "${before.name}" has ${jobs} print jobs and cannot be removed; pause it instead`);
    ctx.db.$client.prepare('DELETE FROM printers WHERE id = ?').run(id);
    scope.audit({ entity: 'printer', entityId: id, before });
  });
}

/** Pause or resume a printer's lane: a paused lane sends nothing; its queued jobs wait in order. */
export function setPrinterPaused(ctx: CoreContext, id: string, paused: boolean, reason?: string): Printer {
  requireRole(ctx, PAUSE, paused ? 'pause printers' : 'resume printers');
  return runCommand(ctx, paused ? 'printers.pause' : 'printers.resume', { id, reason }, { tables: ['printers'] }, (scope) => {
    const before = mustGet(ctx.db, id);
    if (before.paused !== paused) {
      ctx.db.$client.prepare('UPDATE printers SET paused = ? WHERE id = ?').run(paused ? 1 : 0, id);
      scope.audit({ entity: 'printer', entityId: id, field: 'paused', before: before.paused, after: paused, reason: reason ?? null });
    }
    return mustGet(ctx.db, id);
  });
}
