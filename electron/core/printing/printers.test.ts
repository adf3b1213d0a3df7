// Printer rows: validated, audited commands; roles enforced; a printer with history is kept.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caught } from '../../testkit/results.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { enqueue } from './queue-commands.ts';
import { addPrinter, findPrinter, listPrinters, removePrinter, setPrinterPaused, updatePrinter } from './printers.ts';
import { testPageBytes } from './test-page.ts';

let f: Fixture;
beforeEach(() => {
  f = openFixture(0);
});
afterEach(() => f.close());

const audits = (entityId: string) => f.db.$client.prepare("SELECT command, field, before, after FROM audit_log WHERE entity = 'printer' AND entity_id = ? ORDER BY rowid").all(entityId) as { command: string; field: string | null; before: string | null; after: string | null }[];

describe('printers', () => {
  it('adds with defaults and a canonical URI, audited with one op', () => {
    const opsBefore = (f.db.$client.prepare('SELECT count(*) AS n FROM ops').get() as { n: number }).n;
    const p = addPrinter(f.ctx(), { name: '面单机 1', uri: 'TCP://192.168.1.50', lang: 'tspl' });
    expect(p).toMatchObject({ name: '面单机 1', uri: 'tcp://192.168.1.50:9100', lang: 'tspl', dpi: 203, documents: [], settings: {}, paused: false });
    expect(listPrinters(f.db)).toEqual([p]);
    expect(findPrinter(f.db, '面单机 1')?.id).toBe(p.id);
    expect(findPrinter(f.db, p.id)?.name).toBe('面单机 1');
    expect(audits(p.id).map((a) => a.command)).toEqual(['printers.add']);
    expect((f.db.$client.prepare('SELECT count(*) AS n FROM ops').get() as { n: number }).n).toBe(opsBefore + 1);
  });

  it('refuses bad input with clear messages', () => {
    const bad = (input: object) => caught(() => addPrinter(f.ctx(), { name: 'P', uri: 'tcp://h:9100', lang: 'tspl', ...input } as never));
    expect(bad({ name: '  ' })).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('打印机名称') });
    expect(bad({ lang: 'epl' }).message).toContain('tspl、zpl、escpos 或 pdf');
    expect(bad({ dpi: 600 }).message).toContain('203 或 300');
    expect(bad({ uri: 'usb:lp0' }).message).toContain('完整路径');
    expect(bad({ documents: ['waybill', 'waybill'] }).message).toContain('重复');
    expect(bad({ documents: ['invoice'] }).message).toContain('单据类型');
    expect(bad({ settings: { offsetXDots: 1.5 } }).message).toContain('settings.offsetXDots');
    addPrinter(f.ctx(), { name: 'P', uri: 'tcp://h:9100', lang: 'tspl' });
    expect(bad({})).toMatchObject({ code: 'CONFLICT', reason: 'printer.name_taken', details: { name: 'P' } });
    expect(listPrinters(f.db)).toHaveLength(1);
  });

  it('updates only what changed, one audit entry per field; keeps unknown settings keys', () => {
    const p = addPrinter(f.ctx(), { name: 'A', uri: 'usb:/dev/usb/lp0', lang: 'tspl' });
    const q = updatePrinter(f.ctx(), p.id, { dpi: 300, documents: ['waybill'], settings: { offsetYDots: -8, template: '76x130' } });
    expect(q).toMatchObject({ dpi: 300, documents: ['waybill'], settings: { offsetYDots: -8, template: '76x130' }, uri: 'usb:/dev/usb/lp0' });
    expect(audits(p.id).filter((a) => a.command === 'printers.update').map((a) => a.field)).toEqual(['dpi', 'documents', 'settings']);
    addPrinter(f.ctx(), { name: 'B', uri: 'cups:LABEL', lang: 'zpl' });
    expect(caught(() => updatePrinter(f.ctx(), p.id, { name: 'B' })).code).toBe('CONFLICT');
    expect(caught(() => updatePrinter(f.ctx(), 'nope', { dpi: 203 })).code).toBe('NOT_FOUND');
  });

  it('removes a printer without history; refuses one that printed', () => {
    const a = addPrinter(f.ctx(), { name: 'A', uri: 'cups:A', lang: 'pdf' });
    removePrinter(f.ctx(), a.id);
    expect(listPrinters(f.db)).toEqual([]);
    const b = addPrinter(f.ctx(), { name: 'B', uri: 'cups:B', lang: 'pdf' });
    enqueue(f.ctx(), [{ printerId: b.id, idemKey: 'k1', docType: 'pick_list', payload: {} }]);
    expect(caught(() => removePrinter(f.ctx(), b.id))).toMatchObject({ code: 'CONFLICT', reason: 'printer.has_history', details: { name: 'B', jobs: 1 }, message: expect.stringContaining('pause it') });
  });

  it('roles: packers pause and resume, only owners/operators configure', () => {
    const packer = f.as('packer', '打包员小李');
    expect(caught(() => addPrinter(f.ctx(packer), { name: 'X', uri: 'cups:X', lang: 'pdf' })).code).toBe('FORBIDDEN');
    const p = addPrinter(f.ctx(f.as('operator')), { name: 'X', uri: 'cups:X', lang: 'pdf' });
    expect(caught(() => updatePrinter(f.ctx(packer), p.id, { dpi: 300 })).code).toBe('FORBIDDEN');
    expect(setPrinterPaused(f.ctx(packer), p.id, true, '换纸').paused).toBe(true);
    expect(setPrinterPaused(f.ctx(packer), p.id, false).paused).toBe(false);
    expect(audits(p.id).filter((a) => a.field === 'paused').map((a) => a.after)).toEqual(['true', 'false']);
    expect(caught(() => setPrinterPaused(f.ctx(f.as('finance')), p.id, true)).code).toBe('FORBIDDEN');
  });

  it('test pages speak the printer language and draw the label border at its DPI', () => {
    const p = addPrinter(f.ctx(), { name: '测试机', uri: 'tcp://h', lang: 'tspl', dpi: 300, settings: { widthMm: 100, heightMm: 150 } });
    const tspl = testPageBytes(p).toString('ascii');
    expect(tspl).toMatch(/^SIZE 100 mm,150 mm\r\nGAP 2 mm,0 mm\r\n/);
    expect(tspl).toContain('BOX 4,4,1177,1768,4'); // 100 mm × 300/25.4 = 1181 dots
    expect(tspl).toContain('printer: ???'); // no Chinese through resident fonts
    expect(tspl.endsWith('PRINT 1,1\r\n')).toBe(true);
    expect(testPageBytes({ ...p, lang: 'zpl', dpi: 203 }).toString()).toMatch(/^\^XA\n\^PW800\n\^LL1200\n/);
    expect(testPageBytes({ ...p, lang: 'escpos' }).subarray(0, 2)).toEqual(Buffer.from([0x1b, 0x40]));
    const pdf = testPageBytes({ ...p, lang: 'pdf' }).toString('latin1');
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    // The xref offset points at "xref": a reader can open it.
    const startxref = Number(/startxref\n(\d+)/.exec(pdf)![1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe('xref');
    expect(pdf).toContain('/MediaBox [0 0 283 425]');
  });
});
