// Who may call what: every API method × every role, against a table written out by hand here —
// deliberately not derived from the contract, so widening a method's roles there fails this test
// until someone decides it here too. A refused call must come back FORBIDDEN and write nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../shared/contract.ts';
import { ROLES, type Role } from '../../shared/model.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';

// O owner · P operator (运营) · S service (客服) · K packer (打包) · F finance (财务)
const ALL = 'OPSKF';
const EXPECTED: Record<string, string> = {
  'session.whoami': ALL,
  'session.status': ALL,
  'session.people': ALL,
  'session.signIn': ALL,
  'session.signOut': ALL,
  'session.verify': ALL,
  'shops.list': ALL,
  'shops.connections': ALL,
  'shops.add': 'O',
  'shops.pause': 'OP',
  'shops.resume': 'OP',
  'shops.overview': ALL,
  'shops.update': 'OP',
  'shops.updateCredentials': 'O',
  'shops.authorizeStart': 'O',
  'shops.authorizeComplete': 'O',
  'tags.list': ALL,
  'tags.create': 'OPS',
  'catalog.provinces': ALL,
  'orders.list': ALL,
  'orders.counts': ALL,
  'orders.ids': ALL,
  'orders.shopCounts': ALL,
  'orders.resolveRefs': ALL,
  'orders.numbers': ALL,
  'filterPresets.list': ALL,
  'filterPresets.save': ALL,
  'filterPresets.rename': ALL,
  'filterPresets.delete': ALL,
  'orders.get': ALL,
  'orders.markRead': ALL,
  'orders.tag': 'OPSK',
  'orders.setFlag': 'OPS',
  'orders.hold': 'OPSK',
  'orders.release': 'OPS',
  'orders.close': 'OP',
  'orders.review': 'OPS',
  'orders.editAddress': 'OPS',
  'orders.addNote': 'OPSK',
  'orders.requestChange': 'OPS',
  'orders.export': 'OPSF',
  'orders.ship': 'OPK',
  'orders.shipPrinted': 'OPK',
  'orders.revealReceiver': 'OPS',
  'changeRequests.list': ALL,
  'changeRequests.decide': 'OP',
  'sync.status': ALL,
  'sync.now': ALL,
  'sync.run': ALL,
  'sync.log': ALL,
  'quarantine.list': ALL,
  'quarantine.retry': 'OP',
  'pushes.list': ALL,
  'pushes.retry': 'OP',
  'sync.rewind': 'OP',
  'tracking.list': ALL,
  'tracking.import': 'OPS',
  'tracking.exceptions': ALL,
  'tracking.scorecard': 'OPF',
  'pickList.render': 'OPSK',
  'packingSlips.render': 'OPSK',
  'print.pickList': 'OPSK',
  'print.packingSlips': 'OPSK',
  'print.precheck': 'OPSK',
  'print.labels': 'OPSK',
  'print.batch': ALL,
  'labels.settings': ALL,
  'labels.updateSettings': 'OP',
  'labels.preview': ALL,
  'labels.previewPdf': ALL,
  'packing.scanWaybill': 'OPK',
  'packing.scanItem': 'OPK',
  'packing.complete': 'OPK',
  'station.users': 'OP',
  'station.settings': ALL,
  'station.updateSettings': 'OP',
  'printers.list': ALL,
  'printers.add': 'OP',
  'printers.update': 'OP',
  'printers.remove': 'OP',
  'printers.setPaused': 'OPSK',
  'printers.testPrint': 'OPSK',
  'printers.status': ALL,
  'printers.discover': 'OP',
  'printers.output': 'OPSK',
  'printJobs.list': ALL,
  'printJobs.retry': 'OPSK',
  'printJobs.cancel': 'OPSK',
  'printJobs.reprint': 'OPSK',
  'printJobs.resolveUncertain': 'OPSK',
  'waybillAccounts.list': ALL,
  'waybillAccounts.add': 'OP',
  'waybillAccounts.addRange': 'OP',
  'waybillAccounts.importNumbers': 'OP',
  'skus.list': ALL,
  'skus.add': 'OP',
  'skus.update': 'OP',
  'skus.import': 'OP',
  'skus.export': 'OPSF',
  'skus.template': ALL,
  'warehouses.list': ALL,
  'warehouses.add': 'OP',
  'warehouses.update': 'OP',
  'stock.receive': 'OPK',
  'stock.count': 'OPK',
  'stock.adjust': 'OP',
  'stock.transfer': 'OPK',
  'stock.correct': 'OP',
  'stock.list': ALL,
  'stock.ledger': ALL,
  'stock.short': ALL,
  'stock.return': 'OPK',
  'stock.reservations': ALL,
  'skus.scan': ALL,
  'mapping.pull': 'OP',
  'mapping.list': ALL,
  'mapping.set': 'OP',
  'mapping.autoMatch': 'OP',
  'mapping.import': 'OP',
  'mapping.export': 'OPSF',
  'bundles.list': ALL,
  'bundles.set': 'OP',
  'bundles.remove': 'OP',
  'alerts.list': ALL,
  'alerts.counts': ALL,
  'alerts.mute': ALL,
  'alerts.unmute': ALL,
  'alerts.claimNotifications': ALL,
  'alerts.evaluate': 'OP',
  'stock.restock': ALL,
  'stock.restockExport': 'OPSF',
  'stock.push': 'OP',
  'stock.pushes': ALL,
  'stock.allocations': ALL,
  'stock.setAllocation': 'OP',
  'stock.removeAllocation': 'OP',
  'hub.status': ALL,
  'hub.join': 'O',
  'hub.syncNow': ALL,
  'hub.claims': ALL,
  'hub.leave': 'O',
  'hub.team': ALL,
  'hub.revokeStation': 'O',
  'hub.invite': 'O',
  'hub.alerts': ALL,
  'hub.quotas': ALL,
  'hub.setQuotas': 'OP',
  // Everyone makes and moves their own tasks; handing one to someone else is checked in the core
  // (electron/core/tasks/tasks.test.ts), since the same method serves both.
  'tasks.create': ALL,
  'tasks.update': ALL,
  'tasks.list': ALL,
  'tasks.counts': ALL,
  'tasks.mentions': ALL,
  'tasks.people': ALL,
  'tasks.timeline': ALL,
};

const LETTER: Record<Role, string> = { owner: 'O', operator: 'P', service: 'S', packer: 'K', finance: 'F' };

let f: Fixture;
let orderId: string;
let printerId: string;
let accountId: string;
let movementId: string;

/**
 * Inputs that pass each restricted command's schema, on rows that exist: were the role check
 * missing, the handler would run and write — so "nothing written" below means something.
 */
function validInputs(): Record<string, unknown> {
  const ids = [orderId];
  return {
    'shops.add': { platform: 'pdd', name: '拼多多新店', appKey: 'k-123456', appSecret: 's-123456', accessToken: 't-123456' },
    'shops.pause': { id: f.shopId },
    'shops.resume': { id: f.shopId },
    'shops.update': { id: f.shopId, name: '改过的店名' },
    'shops.updateCredentials': { id: f.shopId, accessToken: 'new-token-123' },
    'shops.authorizeStart': { id: f.shopId },
    'shops.authorizeComplete': { id: f.shopId, state: 'st', code: 'code-1' },
    'tags.create': { name: '加急' },
    'orders.tag': { ids, add: ['tag-x'] },
    'orders.setFlag': { ids, flag: 2, memo: '备注' },
    'orders.hold': { ids, reason: '缺货' },
    'orders.release': { ids },
    'orders.close': { ids, reason: '重复订单' },
    'orders.review': { ids },
    'orders.editAddress': {
      id: orderId,
      receiver: { name: '张三', phone: '13800001234', province: '浙江省', city: '杭州市', district: '西湖区', town: null, address: '文三路 1 号' },
    },
    'orders.addNote': { id: orderId, body: '送赠品' },
    'orders.requestChange': { id: orderId, lineNo: 1, kind: 'price', value: 100, reason: '补差价' },
    'orders.export': { ids, columns: ['platformOrderId'], format: 'csv' },
    'orders.ship': { items: [{ id: orderId, carrierCode: 'SF', waybillNo: 'SF1234567890' }] },
    'orders.shipPrinted': { ids },
    'orders.revealReceiver': { id: orderId, reason: '客户来电核对' },
    'changeRequests.decide': { id: 'cr-1', approve: true },
    'quarantine.retry': { ids: ['q-1'] },
    'pushes.retry': { ids: ['p-1'] },
    'sync.rewind': { shopIds: ['shop-1'], sinceMs: 0 },
    'tracking.scorecard': { from: 0, to: 1 },
    'tracking.import': { fileName: 'a.csv', base64: Buffer.from('运单号,时间,状态\n').toString('base64') },
    'pickList.render': { ids, format: 'pdf' },
    'packingSlips.render': { ids, format: 'pdf' },
    'print.pickList': { ids, printerId },
    'print.packingSlips': { ids, printerId },
    'print.precheck': { ids },
    'print.labels': { ids, printerId },
    'labels.updateSettings': { carrier: 'default', settings: null },
    'packing.scanWaybill': { code: 'SF1234567890' },
    'packing.scanItem': { packageId: 'pkg-1', code: 'NZ-2301-BK-M' },
    'packing.complete': { packageId: 'pkg-1' },
    'station.updateSettings': { verificationRequired: true },
    'hub.join': { url: 'http://127.0.0.1:9', code: 'JOIN-1', name: '打包台' },
    'hub.leave': {},
    'hub.revokeStation': { stationId: 'station-2', owner: '店主', password: 'correct horse' },
    'hub.invite': { user: 'xiaoli', role: 'packer', shops: null, owner: '店主', password: 'correct horse' },
    'hub.setQuotas': { quotas: [{ station: '打包台', sku: 'NZ-2301-BK-M', quantity: 5 }] },
    'printers.add': { name: '二号机', uri: 'tcp://127.0.0.1:9', lang: 'tspl' },
    'printers.update': { id: printerId, patch: { name: '改名' } },
    'printers.remove': { id: printerId },
    'printers.setPaused': { id: printerId, paused: true },
    'printers.testPrint': { id: printerId },
    'printers.discover': {},
    'printers.output': { id: printerId },
    'printJobs.retry': { id: 'job-1' },
    'printJobs.cancel': { id: 'job-1' },
    'printJobs.reprint': { id: 'job-1', reason: '卡纸重打' },
    'printJobs.resolveUncertain': { id: 'job-1', resolution: 'printed' },
    'waybillAccounts.add': {
      name: '中通池',
      carrierCode: 'ZTO',
      kind: 'pool',
      sender: { name: '仓库', mobile: '13800001234', province: '浙江省', city: '杭州市', address: '文一路 2 号' },
    },
    'waybillAccounts.addRange': { accountId, start: 1, end: 10 },
    'waybillAccounts.importNumbers': { accountId, fileName: 'n.csv', base64: Buffer.from('ZT000000001\n').toString('base64') },
    'skus.add': { code: 'NEW-1', title: '新品' },
    'skus.update': { code: 'NZ-2301-BK-M', patch: { safetyStock: 3 } },
    'skus.import': { fileName: 's.csv', base64: Buffer.from('商家编码,商品名称\nNEW-2,新品\n').toString('base64') },
    'skus.export': {},
    'warehouses.add': { code: 'WH2', name: '二号仓' },
    'warehouses.update': { code: 'WH1', patch: { name: '改名' } },
    'stock.receive': { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 5 },
    'stock.count': { sku: 'NZ-2301-BK-M', warehouse: 'WH1', counted: 1 },
    'stock.adjust': { sku: 'NZ-2301-BK-M', warehouse: 'WH1', delta: -1, reason: '破损' },
    'stock.transfer': { sku: 'NZ-2301-BK-M', from: 'WH1', to: 'WH0', quantity: 1 },
    'stock.correct': { movementId, reason: '录错了' },
    'stock.return': { orderId, lineNo: 1, quantity: 1, warehouse: 'WH1' },
    'mapping.pull': { shopId: 'shop-1' },
    'mapping.set': { rows: [{ shopId: 'shop-1', platformProductId: '1001', platformSkuId: 'S1' }], sku: 'NZ-2301-BK-M' },
    'mapping.autoMatch': {},
    'mapping.import': { fileName: 'm.csv', base64: Buffer.from('店铺,平台SKU ID,商家编码\nshop-1,S1,NZ-2301-BK-M\n').toString('base64') },
    'mapping.export': {},
    'bundles.set': { sku: 'NZ-2301-BK-M', components: [{ sku: 'SOCK-01', quantity: 2 }] },
    'bundles.remove': { sku: 'NZ-2301-BK-M' },
    'alerts.evaluate': {},
    'stock.restockExport': { days: 30, format: 'csv' },
    'stock.push': { dryRun: true },
    'stock.setAllocation': { shopId: 'shop-1', sku: '*', mode: 'share', value: 50 },
    'stock.removeAllocation': { shopId: 'shop-1', sku: '*' },
  };
}

const changes = () => f.db.$client.prepare('SELECT total_changes() AS n').get() as { n: number };
const count = (table: string) => (f.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

beforeAll(async () => {
  f = openFixture(3);
  orderId = f.idOf(1);
  const printer = await f.call('printers.add', { name: '一号机', uri: 'tcp://127.0.0.1:9', lang: 'tspl' });
  if (!printer.ok) throw new Error(`fixture printer: ${printer.error.message}`);
  printerId = (printer.value as { id: string }).id;
  const account = await f.call('waybillAccounts.add', validInputs()['waybillAccounts.add']);
  if (!account.ok) throw new Error(`fixture account: ${account.error.message}`);
  accountId = (account.value as { id: string }).id;
  for (const code of ['WH0', 'WH1']) {
    const wh = await f.call('warehouses.add', { code, name: `仓库${code}` });
    if (!wh.ok) throw new Error(`fixture warehouse: ${wh.error.message}`);
  }
  const received = await f.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 10 });
  if (!received.ok) throw new Error(`fixture stock: ${received.error.message}`);
  movementId = (received.value as { movements: { id: string }[] }).movements[0]!.id;
});
afterAll(() => f.close());

describe('roles', () => {
  it('the table names every method of the contract, and nothing else', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(methods).sort());
  });

  it('every sample input for a refused call is valid, so a missing role check would have run the handler', () => {
    for (const [name, input] of Object.entries(validInputs())) {
      const parsed = methods[name as keyof typeof methods].input.safeParse(input);
      expect(parsed.success, `${name}: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
    }
  });

  for (const role of ROLES) {
    it(`${role}: may call exactly its methods; a refused call is FORBIDDEN and writes nothing`, async () => {
      const actor = f.as(role);
      const inputs = validInputs();
      for (const name of Object.keys(methods)) {
        const allowed = (EXPECTED[name] ?? '').includes(LETTER[role]);
        if (allowed) {
          // Not-an-object input: the role check passes and validation refuses, so nothing runs.
          const r = await f.call(name, 42, actor);
          expect(r.ok ? 'ok' : r.error.code, `${role} → ${name}`).toBe('VALIDATION_FAILED');
          continue;
        }
        const before = { changes: changes().n, ops: count('ops'), audit: count('audit_log') };
        const r = await f.call(name, inputs[name] ?? {}, actor);
        expect(r.ok ? 'ok' : r.error.code, `${role} → ${name} must be refused`).toBe('FORBIDDEN');
        expect({ changes: changes().n, ops: count('ops'), audit: count('audit_log') }, `${role} → ${name} wrote`).toEqual(before);
      }
    });
  }
});
