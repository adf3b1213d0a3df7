// Printed labels honour the 面单模板 settings: a carrier's saved template, hidden fields and offsets
// reach the bytes the print queue sends (checked by decoding the TSPL the printer received).
import { describe, expect, it } from 'vitest';
import type { PrintLabelsResult, PrinterView, WaybillAccountInfo } from '../../shared/contract.ts';
import { DEFAULT_CARRIER_LABEL_SETTINGS, type CarrierLabelSettings } from '../../shared/label-settings.ts';
import { platformOrder } from '../../testkit/api-fixtures.ts';
import { createCore } from '../app.ts';
import { ingestOrders } from '../orders/ingest.ts';
import { startCaptureServer } from '../../sandbox/printing/capture-server.ts';
import { bitmapsEqual } from './bitmap.ts';
import { decodeTspl } from './encode.ts';
import { labelDataForOrder } from './order-label.ts';
import { labelToBitmap } from './raster.ts';
import { cleanupsAfterEach, ok } from '../../testkit/results.ts';
import { testDbOf } from '../../testkit/station-db.ts';

const cleanups = cleanupsAfterEach();

describe('print queue × label settings', () => {
  it("prints with the carrier's saved template, fields and offsets", async () => {
    const core = await createCore({ dbFile: ':memory:', print: true });
    cleanups.push(() => core.close());
    const server = await startCaptureServer({ lang: 'tspl' });
    cleanups.push(() => server.close());
    testDbOf(core).$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-1', '杭州女装旗舰店', 'taobao', 'active', 0)").run();
    ingestOrders(testDbOf(core), { shopId: 'shop-1', platform: 'taobao', orders: [{ order: platformOrder(1, { buyerMessage: '放门口' }), raw: {} }] }, Date.now());
    const id = testDbOf(core).$client.prepare('SELECT id FROM orders').pluck().get() as string;
    ok(await core.call('orders.review', { ids: [id] }));
    const printer = ok<PrinterView>(await core.call('printers.add', { name: '打包台', uri: server.uri, lang: 'tspl', documents: ['waybill'] }));
    const account = ok<WaybillAccountInfo>(await core.call('waybillAccounts.add', { name: '圆通自有', carrierCode: 'YTO', kind: 'pool', shopIds: ['shop-1'] }));
    ok(await core.call('waybillAccounts.addRange', { accountId: account.id, prefix: 'YT', start: 1, end: 10, width: 12 }));
    const yto: CarrierLabelSettings = {
      template: '100x150',
      show: { ...DEFAULT_CARRIER_LABEL_SETTINGS.show, sender: false, buyerMessage: false },
      customText: '拆封前请验货',
      offsets: { sortCode: { x: 0, y: 1.5 } },
    };
    ok(await core.call('labels.updateSettings', { carrier: 'YTO', settings: yto }));

    const r = ok<PrintLabelsResult>(await core.call('print.labels', { ids: [id], printerId: printer.id, sortBy: 'paidAt' }));
    expect(r).toMatchObject({ queued: 1, failed: [] });
    await core.printQueue.drain();
    expect(server.jobs).toHaveLength(1);
    const bytes = (server.jobs[0] as { bytes: Buffer }).bytes;
    expect(bytes.toString('latin1')).toContain('SIZE 100 mm,150 mm');
    const printed = decodeTspl(bytes).bitmap;
    const data = labelDataForOrder(testDbOf(core), id, { seq: 1, total: 1 });
    expect(data.carrierCode).toBe('YTO');
    expect(bitmapsEqual(printed, labelToBitmap(data, { template: '100x150', settings: yto }))).toBe(true);
    // And not what the default settings would have printed.
    expect(bitmapsEqual(printed, labelToBitmap(data, { template: '100x150' }))).toBe(false);
  });
});
