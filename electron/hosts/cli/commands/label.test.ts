// `shopfleet label render` in a child process: a PDF and a PNG of a stored order's label, and bad arguments.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../core/app.ts';
import { ingestOrders } from '../../../core/orders/ingest.ts';
import { order, T0 } from '../../../testkit/ingest-fixtures.ts';
import { shopfleet } from '../../../testkit/run-shopfleet.ts';
import { testDbOf } from '../../../testkit/station-db.ts';


let dir: string;
let dbFile: string;
let orderId: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-label-'));
  dbFile = path.join(dir, 'station.db');
  const core = await createCore({ dbFile, demo: false, sync: false });
  try {
    testDbOf(core).$client.prepare("INSERT INTO shops (id, name, platform, created_at) VALUES ('shop-a', '甲店', 'taobao', 0)").run();
    ingestOrders(testDbOf(core), { shopId: 'shop-a', platform: 'taobao', orders: [{ order: order(7), raw: {} }] }, T0);
    orderId = testDbOf(core).$client.prepare('SELECT id FROM orders').pluck().get() as string;
    testDbOf(core).$client
      .prepare(`INSERT INTO packages (id, order_id, seq, carrier_code, waybill_no, routing, state, created_at) VALUES ('p1', ?, 1, 'YTO', 'YT8800000000123', '{"sortCode":"210 M05"}', 'allocated', 0)`)
      .run(orderId);
  } finally {
    await core.close();
  }
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('shopfleet label render', () => {
  it('writes a one-page PDF of the label at the template size', async () => {
    const out = path.join(dir, 'label.pdf');
    const r = await shopfleet(['label', 'render', '--db', dbFile, '--order', orderId, '--out', out, '--template', '100x150']);
    expect(r.stderr).toContain('YT8800000000123');
    expect(r.code).toBe(0);
    const doc = await PDFDocument.load(fs.readFileSync(out));
    expect(doc.getPageCount()).toBe(1);
    expect(Math.round((doc.getPage(0).getWidth() * 25.4) / 72)).toBe(100);
  }, 60_000);

  it('writes a PNG of the printer raster: 608×1040 dots for 76×130 at 203 dpi', async () => {
    const out = path.join(dir, 'label.png');
    const r = await shopfleet(['label', 'render', '--db', dbFile, '--order', '3000000000000007', '--out', out]);
    expect(r.code).toBe(0);
    const img = await loadImage(fs.readFileSync(out));
    expect([img.width, img.height]).toEqual([608, 1040]);
  }, 60_000);

  it("uses the carrier's saved template settings unless --template says otherwise", async () => {
    const core = await createCore({ dbFile, demo: false, sync: false });
    try {
      const yto = { template: '100x180', show: { sender: false, itemSummary: true, buyerMessage: true, customText: true }, customText: '', offsets: {} };
      testDbOf(core).$client
        .prepare("INSERT INTO meta (key, value) VALUES ('labels.settings', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .run(JSON.stringify({ default: { ...yto, template: '76x130', show: { ...yto.show, sender: true } }, carriers: { YTO: yto } }));
    } finally {
      await core.close();
    }
    const out = path.join(dir, 'yto.png');
    const r = await shopfleet(['label', 'render', '--db', dbFile, '--order', orderId, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('100x180');
    const img = await loadImage(fs.readFileSync(out));
    expect([img.width, img.height]).toEqual([800, 1440]);
    const forced = await shopfleet(['label', 'render', '--db', dbFile, '--order', orderId, '--out', out, '--template', '76x130']);
    expect(forced.code).toBe(0);
    expect([(await loadImage(fs.readFileSync(out))).width]).toEqual([608]);
  }, 60_000);

  it('exits 2 with usage on bad arguments and 1 for an unknown order', async () => {
    const bad = await shopfleet(['label', 'render', '--db', dbFile, '--order', orderId, '--out', path.join(dir, 'x.jpg')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--out must end in .pdf or .png');
    const missing = await shopfleet(['label', 'render', '--db', dbFile, '--order', 'no-such-order', '--out', path.join(dir, 'y.pdf')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('NOT_FOUND');
  }, 60_000);
});
