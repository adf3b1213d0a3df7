// Label template settings through the API (core.call): defaults, a per-carrier round trip through the
// meta table with audit and ops rows, validation and roles, and previews rendered as the printer gets them.
import { PDFDocument } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabelPreview } from '../../shared/contract.ts';
import { DEFAULT_CARRIER_LABEL_SETTINGS, DEFAULT_LABEL_SETTINGS, labelSettingsFor, type CarrierLabelSettings, type LabelSettings } from '../../shared/label-settings.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { addPrinter } from '../printing/printers.ts';
import { bitmapToPng, labelToBitmap } from './raster.ts';
import { sampleLabelData } from './sample-data.ts';
import { getLabelSettings, LABEL_SETTINGS_KEY } from './settings.ts';
import { okAfter } from '../../testkit/results.ts';

let fx: Fixture;
afterEach(() => fx?.close());

const zto: CarrierLabelSettings = {
  template: '100x150',
  show: { sender: false, itemSummary: true, buyerMessage: false, customText: true },
  customText: '易碎品 轻拿轻放',
  offsets: { barcode: { x: 0, y: 2.5 }, receiver: { x: -1, y: 0 } },
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(base64: string): { w: number; h: number; png: boolean } {
  const b = Buffer.from(base64, 'base64');
  return { png: b.subarray(1, 4).toString('ascii') === 'PNG', w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
}

describe('labels.settings / labels.updateSettings', () => {
  it('starts at the defaults, stores one carrier in the meta table, and reads it back', async () => {
    fx = openFixture();
    expect(await okAfter(fx.call('labels.settings', {}))).toEqual(DEFAULT_LABEL_SETTINGS);
    const saved = await okAfter<LabelSettings>(fx.call('labels.updateSettings', { carrier: 'ZTO', settings: zto }));
    expect(saved.carriers.ZTO).toEqual(zto);
    expect(saved.default).toEqual(DEFAULT_CARRIER_LABEL_SETTINGS);
    expect(await okAfter(fx.call('labels.settings', {}))).toEqual(saved);
    // One JSON value under one key.
    const row = fx.db.$client.prepare('SELECT value FROM meta WHERE key = ?').get(LABEL_SETTINGS_KEY) as { value: string };
    expect(JSON.parse(row.value)).toEqual(saved);
    // Audited, with an ops row.
    const audit = fx.db.$client.prepare("SELECT entity_id AS e, command FROM audit_log WHERE entity = 'label_settings'").all();
    expect(audit).toEqual([{ e: 'ZTO', command: 'labels.updateSettings' }]);
    expect(fx.db.$client.prepare("SELECT count(*) FROM ops WHERE name = 'labels.updateSettings'").pluck().get()).toBe(1);
    // The carrier gets its own, the others the default.
    expect(labelSettingsFor(saved, 'ZTO')).toEqual(zto);
    expect(labelSettingsFor(saved, 'SF')).toEqual(DEFAULT_CARRIER_LABEL_SETTINGS);
    expect(labelSettingsFor(saved, null)).toEqual(DEFAULT_CARRIER_LABEL_SETTINGS);
  });

  it('editing one carrier keeps the others; null puts a carrier back on the default', async () => {
    fx = openFixture();
    await okAfter(fx.call('labels.updateSettings', { carrier: 'ZTO', settings: zto }));
    const yto = { ...zto, template: '76x130' as const, customText: '' };
    await okAfter(fx.call('labels.updateSettings', { carrier: 'YTO', settings: yto }));
    const newDefault = { ...DEFAULT_CARRIER_LABEL_SETTINGS, template: '100x180' as const };
    await okAfter(fx.call('labels.updateSettings', { carrier: 'default', settings: newDefault }));
    let s = await okAfter<LabelSettings>(fx.call('labels.settings', {}));
    expect(s.carriers).toEqual({ ZTO: zto, YTO: yto });
    expect(s.default).toEqual(newDefault);
    s = await okAfter<LabelSettings>(fx.call('labels.updateSettings', { carrier: 'ZTO', settings: null }));
    expect(s.carriers).toEqual({ YTO: yto });
    expect(labelSettingsFor(s, 'ZTO').template).toBe('100x180');
    s = await okAfter<LabelSettings>(fx.call('labels.updateSettings', { carrier: 'default', settings: null }));
    expect(s.default).toEqual(DEFAULT_CARRIER_LABEL_SETTINGS);
  });

  it('refuses bad settings and roles that may not configure labels; nothing is stored', async () => {
    fx = openFixture();
    const bad: unknown[] = [
      { carrier: 'ZTO', settings: { ...zto, offsets: { barcode: { x: 0, y: 31 } } } },
      { carrier: 'ZTO', settings: { ...zto, offsets: { logo: { x: 0, y: 1 } } } },
      { carrier: 'ZTO', settings: { ...zto, template: '80x120' } },
      { carrier: 'ZTO', settings: { ...zto, customText: '字'.repeat(61) } },
      { carrier: 'ZTO', settings: { ...zto, extra: 1 } },
      { carrier: 'ACME', settings: zto },
      { carrier: 'ZTO', settings: { ...zto, show: { sender: true } } },
    ];
    for (const input of bad) {
      const r = await fx.call('labels.updateSettings', input);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('VALIDATION_FAILED');
    }
    for (const role of ['packer', 'service', 'finance'] as const) {
      const r = await fx.call('labels.updateSettings', { carrier: 'ZTO', settings: zto }, fx.as(role));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('FORBIDDEN');
    }
    // Reading is for everyone.
    expect((await fx.call('labels.settings', {}, fx.as('packer'))).ok).toBe(true);
    expect(fx.db.$client.prepare('SELECT count(*) FROM meta WHERE key = ?').pluck().get(LABEL_SETTINGS_KEY)).toBe(0);
  });

  it('a stored value that no longer validates reads as the defaults', () => {
    fx = openFixture();
    fx.db.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(LABEL_SETTINGS_KEY, '{"default":{"template":"9x9"}}');
    expect(getLabelSettings(fx.db)).toEqual(DEFAULT_LABEL_SETTINGS);
  });
});

describe('labels.preview / labels.previewPdf', () => {
  it('a sample at the saved template and DPI, as the exact bitmap the printer gets', async () => {
    fx = openFixture();
    const p = await okAfter<LabelPreview>(fx.call('labels.preview', {}));
    expect([p.widthPx, p.heightPx, p.template, p.dpi, p.sample, p.carrierCode]).toEqual([608, 1040, '76x130', 203, true, null]);
    expect(pngSize(p.pngBase64)).toEqual({ png: true, w: 608, h: 1040 });
    await okAfter(fx.call('labels.updateSettings', { carrier: 'ZTO', settings: zto }));
    const z = await okAfter<LabelPreview>(fx.call('labels.preview', { carrierCode: 'ZTO', dpi: 300 }));
    expect([z.widthPx, z.heightPx, z.template, z.carrierCode]).toEqual([1181, 1772, '100x150', 'ZTO']);
    // Byte for byte the printer's raster for the same data and settings.
    const expected = bitmapToPng(
      labelToBitmap(sampleLabelData({ sample: true, customText: '', carrierCode: 'ZTO', carrierName: '中通快递' }), { template: '100x150', dpi: 300, settings: zto }),
    );
    expect(z.pngBase64).toBe(expected.toString('base64'));
  });

  it('unsaved settings change the preview without saving anything', async () => {
    fx = openFixture();
    const saved = await okAfter<LabelPreview>(fx.call('labels.preview', { carrierCode: 'SF' }));
    const live = await okAfter<LabelPreview>(fx.call('labels.preview', { carrierCode: 'SF', settings: { ...DEFAULT_CARRIER_LABEL_SETTINGS, offsets: { sortCode: { x: 0, y: 3 } } } }));
    expect(live.pngBase64).not.toBe(saved.pngBase64);
    expect([live.widthPx, live.heightPx]).toEqual([saved.widthPx, saved.heightPx]);
    const again = await okAfter<LabelPreview>(fx.call('labels.preview', { carrierCode: 'SF' }));
    expect(again.pngBase64).toBe(saved.pngBase64);
  });

  it("an order's label uses its own data; a printer's DPI and calibration offset apply", async () => {
    fx = openFixture(1);
    const orderId = fx.idOf(1);
    const p = await okAfter<LabelPreview>(fx.call('labels.preview', { orderId }, fx.as('packer')));
    expect(p.sample).toBe(true); // no waybill allocated yet
    const sample = await okAfter<LabelPreview>(fx.call('labels.preview', {}));
    expect(p.pngBase64).not.toBe(sample.pngBase64);
    const printer = addPrinter(fx.ctx(), { name: '打包台1', uri: 'tcp://127.0.0.1:9100', lang: 'tspl', dpi: 300, settings: { offsetXDots: 24, offsetYDots: -16 } });
    const onPrinter = await okAfter<LabelPreview>(fx.call('labels.preview', { orderId, printerId: printer.id }));
    expect([onPrinter.dpi, onPrinter.widthPx]).toEqual([300, 898]);
    const plain300 = await okAfter<LabelPreview>(fx.call('labels.preview', { orderId, dpi: 300 }));
    expect(onPrinter.pngBase64).not.toBe(plain300.pngBase64);
    const missing = await fx.call('labels.preview', { printerId: 'nope' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.code).toBe('NOT_FOUND');
    const noOrder = await fx.call('labels.preview', { orderId: 'nope' });
    expect(noOrder.ok).toBe(false);
  });

  it('previewPdf: a PDF of an order or the sample; exactly one of them is required', async () => {
    fx = openFixture(1);
    const pdf = await okAfter<{ base64: string; fileName: string }>(fx.call('labels.previewPdf', { sample: true, settings: zto }));
    const bytes = Buffer.from(pdf.base64, 'base64');
    expect(bytes.subarray(0, 5).toString('ascii')).toBe('%PDF-');
    expect(pdf.fileName).toBe('label-sample-100x150.pdf');
    // The settings' template: a 100×150 mm page (283.46 × 425.2 pt).
    const page = (await PDFDocument.load(bytes)).getPage(0).getSize();
    expect([page.width / (72 / 25.4), page.height / (72 / 25.4)].map((v) => Math.round(v))).toEqual([100, 150]);
    const byOrder = await okAfter<{ base64: string; fileName: string }>(fx.call('labels.previewPdf', { orderId: fx.idOf(1) }));
    expect(Buffer.from(byOrder.base64, 'base64').subarray(0, 5).toString('ascii')).toBe('%PDF-');
    for (const input of [{}, { sample: true, orderId: fx.idOf(1) }]) {
      const r = await fx.call('labels.previewPdf', input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('VALIDATION_FAILED');
    }
  });
});
