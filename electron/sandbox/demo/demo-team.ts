// The demo team: on an empty station, a believable shop group to click around in — shops on each
// platform, the local catalogue their orders match (mostly), its stock (demo-stock.ts: two warehouses,
// bundles, listings mapped, a few SKUs low or short), tags and a few staff — and what a packing
// day needs (the demo kit): 自动审单 on, a waybill number pool per demo carrier and a folder printer
// whose labels show on screen, each marked as demo. With a secret
// cipher the shops are real Taobao/Tmall/PDD/JD/Douyin/Kuaishou shops with demo credentials, served
// by loopback gateways fed from the simulated world (demo-gateways.ts), so the demo runs the real
// adapters; without one (':memory:' stations, bulk demo databases) they are in-process sandbox shops.
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Platform } from '../../shared/model.ts';
import { writeTx, type WriteTx } from '../../core/db/access.ts';
import type { Db } from '../../core/db/open.ts';
import { saveShopSecrets, type SecretCipher } from '../../core/shops/secrets.ts';
import { formatPrinterUri, parsePrinterUri } from '../../core/printing/uri.ts';
import { writeStationSettingsForSetup } from '../../core/station/settings.ts';
import type { SandboxSettings } from './adapter.ts';
import { CATALOG, type Category } from './catalog.ts';
import { addDemoStock } from './demo-stock.ts';
import { DAY, DEMO_DELIVERY_SCALE } from './generator.ts';

interface ShopTemplate {
  name: string;
  imitates: Platform;
  categories: Category[];
  ordersPerHour: number;
}

export const DEMO_SHOPS: readonly ShopTemplate[] = [
  { name: '潮流女装旗舰店', imitates: 'tmall', categories: ['女装'], ordersPerHour: 40 },
  { name: '优选零食铺', imitates: 'taobao', categories: ['零食'], ordersPerHour: 30 },
  { name: '居家好物馆', imitates: 'pdd', categories: ['家居'], ordersPerHour: 35 },
  { name: '极客数码配件', imitates: 'jd', categories: ['数码配件'], ordersPerHour: 20 },
  { name: '花漾美妆小店', imitates: 'douyin', categories: ['美妆'], ordersPerHour: 25 },
  { name: '萌宝母婴优选', imitates: 'kuaishou', categories: ['母婴'], ordersPerHour: 15 },
  { name: '户外运动专营店', imitates: 'taobao', categories: ['运动户外'], ordersPerHour: 12 },
  { name: '毛孩子宠物生活', imitates: 'pdd', categories: ['宠物用品'], ordersPerHour: 18 },
];

const DEMO_TAGS: [name: string, color: string][] = [
  ['加急', '#f5222d'],
  ['缺货', '#fa8c16'],
  ['大客户', '#faad14'],
  ['待补发', '#722ed1'],
  ['易碎品', '#13c2c2'],
  ['已联系买家', '#52c41a'],
];

const DEMO_USERS: [name: string, role: string][] = [
  ['客服小王', 'service'],
  ['打包员小李', 'packer'],
  ['财务小张', 'finance'],
  ['运营小赵', 'operator'],
];

/** How far back the demo world's orders begin: the scheduler's first sync backfills this much. */
export const DEMO_HISTORY_MS = 3 * DAY;

export interface DemoTeamOptions {
  /** Number of shops (default 8); more than the templates repeats them as 二店, 三店, ... */
  shops?: number;
  seed?: number;
  /**
   * Stores the demo shops' credentials. Given: the shops are real-platform shops served by the demo
   * gateways. Absent: platform 'sandbox' shops served in process (what `shopfleet demo --orders N`
   * and a ':memory:' station use — neither can keep secrets or needs the wire).
   */
  secretCipher?: SecretCipher;
  /** Where the demo's folder printer writes its labels (inside the station's data folder); none = no printer. */
  labelsDir?: string;
}

/**
 * What a real-platform demo shop keeps in shops.settings: the world it is fed from (the fields
 * worldShopOf reads) and the adapter's non-secret settings. appSecret and accessToken live
 * encrypted in shop_secrets, like any connected shop's.
 */
export interface DemoShopSettings {
  demo: true;
  imitates: Platform;
  seed: number;
  categories: Category[];
  ordersPerHour: number;
  worldStartMs: number;
  appKey: string;
  /** Rewritten by startDemoGateways on every start (the loopback ports change). */
  gateway: string;
  /** Demo orders keep arriving: sync every 15 s instead of the default 2 minutes. */
  syncIntervalMs: number;
  /** The world's delivery clock: shipped orders complete within a demo session (DEMO_DELIVERY_SCALE). */
  deliveryScale: number;
}

/**
 * The gateway a demo shop points at until startDemoGateways sets the live one: a closed loopback
 * port, so a sync run without the gateways (e.g. `shopfleet sync` on a demo database) fails fast
 * and locally instead of sending demo credentials to the real platform's default gateway.
 */
export const DEMO_GATEWAY_NOT_STARTED = 'http://127.0.0.1:9/demo-gateway-not-started';

export const DEMO_SYNC_INTERVAL_MS = 15_000;

const ORDINALS = ['', '二店', '三店', '四店', '五店', '六店', '七店', '八店', '九店', '十店'];

function shopName(template: ShopTemplate, round: number): string {
  return round === 0 ? template.name : `${template.name}${ORDINALS[round] ?? `${round + 1}店`}`;
}

/**
 * Create the demo team when the station has no shops; otherwise do nothing. One transaction (the
 * shops, their encrypted credentials, catalogue, tags and staff).
 * Returns the ids of the shops it created (empty when the station already had shops).
 */
export function ensureDemoTeam(db: Db, now: number, options: DemoTeamOptions = {}): string[] {
  const client = db.$client;
  const count = Math.max(1, options.shops ?? DEMO_SHOPS.length);
  const baseSeed = options.seed ?? 20240601;
  const cipher = options.secretCipher;
  return writeTx(db, (tx): string[] => {
      const existing = client.prepare('SELECT count(*) AS n FROM shops').get() as { n: number };
      if (existing.n > 0) return [];

      const insertShop = client.prepare('INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES (?, ?, ?, ?, ?, ?)');
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const template = DEMO_SHOPS[i % DEMO_SHOPS.length] as ShopTemplate;
        const seed = (baseSeed + i * 7919) >>> 0;
        const id = uuidv7();
        const name = shopName(template, Math.floor(i / DEMO_SHOPS.length));
        // created_at steps by 1 ms so the shop list keeps the template order.
        if (cipher) {
          const settings: DemoShopSettings = {
            demo: true,
            imitates: template.imitates,
            seed,
            categories: template.categories,
            ordersPerHour: template.ordersPerHour,
            worldStartMs: now - DEMO_HISTORY_MS,
            appKey: randomBytes(8).toString('hex'),
            gateway: DEMO_GATEWAY_NOT_STARTED,
            syncIntervalMs: DEMO_SYNC_INTERVAL_MS,
            deliveryScale: DEMO_DELIVERY_SCALE,
          };
          insertShop.run(id, name, template.imitates, 'active', now + i, JSON.stringify(settings));
          // Fresh per station: they only open this station's loopback gateways, but they take the real path (encrypted at rest).
          saveShopSecrets(tx, cipher, id, { appSecret: randomBytes(16).toString('hex'), accessToken: randomBytes(16).toString('hex') }, now);
        } else {
          const settings: SandboxSettings = {
            imitates: template.imitates,
            seed,
            categories: template.categories,
            ordersPerHour: template.ordersPerHour,
            worldStartMs: now - DEMO_HISTORY_MS,
            malformedRate: 0,
            deliveryScale: DEMO_DELIVERY_SCALE,
          };
          insertShop.run(id, name, 'sandbox', 'active', now + i, JSON.stringify(settings));
        }
        ids.push(id);
      }

      // The local catalogue: every product the sandbox sells except the deliberately unlisted ones.
      const insertProduct = client.prepare('INSERT OR IGNORE INTO products (id, title, created_at) VALUES (?, ?, ?)');
      const insertSku = client.prepare(
        'INSERT OR IGNORE INTO skus (id, product_id, outer_sku_code, name, barcode, price_fen, cost_fen) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      // The catalogue lists and the packing scan matches a SKU's barcodes from sku_barcodes. Only a SKU
      // written here gets one: a row INSERT OR IGNORE kept is someone's, and so are its barcodes.
      const insertBarcode = client.prepare('INSERT OR IGNORE INTO sku_barcodes (barcode, sku_id, created_at) VALUES (?, ?, ?)');
      for (const product of CATALOG) {
        if (product.unlisted) continue;
        const productId = uuidv7();
        insertProduct.run(productId, product.title, now);
        for (const sku of product.skus) {
          const skuId = uuidv7();
          const written = insertSku.run(skuId, productId, sku.outerSkuCode, sku.skuName || '默认', sku.barcode, sku.priceFen, sku.costFen).changes > 0;
          if (written) insertBarcode.run(sku.barcode, skuId, now);
        }
      }

      const insertTag = client.prepare('INSERT OR IGNORE INTO tags (id, name, color) VALUES (?, ?, ?)');
      for (const [name, color] of DEMO_TAGS) insertTag.run(uuidv7(), name, color);

      const findUser = client.prepare('SELECT 1 FROM users WHERE name = ?');
      const insertUser = client.prepare('INSERT INTO users (id, name, role, created_at) VALUES (?, ?, ?, ?)');
      for (const [name, role] of DEMO_USERS) if (!findUser.get(name)) insertUser.run(uuidv7(), name, role, now);

      client.prepare("INSERT INTO meta (key, value) VALUES ('demo', '1') ON CONFLICT(key) DO UPDATE SET value = excluded.value").run();
      addDemoKit(tx, now, ids, options.labelsDir);
      addDemoStock(tx, now);
      return ids;
    });
}

/** Set once the demo kit is in place, so a kit someone has since changed or removed is left so. */
const DEMO_KIT_KEY = 'demo.kit';

/** The demo's number pools: one per demo carrier, shared out over the shops, with a sender on the labels. */
export const DEMO_POOLS: readonly { name: string; carrierCode: 'ZTO' | 'YTO'; prefix: string; start: number; width: number; count: number }[] = [
  { name: '演示面单池 · 中通', carrierCode: 'ZTO', prefix: '7359', start: 10_000_001, width: 8, count: 5000 },
  { name: '演示面单池 · 圆通', carrierCode: 'YTO', prefix: 'YT7', start: 4_000_000_001, width: 10, count: 5000 },
];

export const DEMO_SENDER = { name: '演示仓（杭州）', mobile: '0571-88886666', province: '浙江省', city: '杭州市', district: '余杭区', address: '仓前街道文一西路 1 号 演示仓' };

export const DEMO_PRINTER_NAME = '演示打印机（文件夹）';

/**
 * The demo kit, in the caller's transaction: 自动审单 switched on (so 待打单 fills as orders arrive),
 * the number pools with the demo shops shared out between them, and — given a folder — a TSPL
 * printer writing its labels there as PNGs. Everything carries a demo mark the UI shows as 演示
 * (printer settings.demo, account options.demo). Written directly, like the rest of the demo team:
 * setting a station up is not a person's command.
 */
function addDemoKit(tx: WriteTx, now: number, shopIds: readonly string[], labelsDir: string | undefined): void {
  const client = tx.$client;
  if (client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(DEMO_KIT_KEY)) return;
  writeStationSettingsForSetup(tx, { autoReviewClean: true });
  const insertAccount = client.prepare('INSERT INTO waybill_accounts (id, name, carrier_code, kind, shop_id, settings, created_at) VALUES (?, ?, ?, ?, NULL, ?, ?)');
  const insertNumber = client.prepare('INSERT OR IGNORE INTO waybill_numbers (account_id, waybill_no, package_id, added_at) VALUES (?, ?, NULL, ?)');
  DEMO_POOLS.forEach((pool, p) => {
    const id = uuidv7();
    const shops = shopIds.filter((_, i) => i % DEMO_POOLS.length === p);
    insertAccount.run(id, pool.name, pool.carrierCode, 'pool', JSON.stringify({ sender: DEMO_SENDER, shopIds: shops, options: { demo: '1' } }), now + p);
    for (let n = 0; n < pool.count; n += 1) insertNumber.run(id, `${pool.prefix}${String(pool.start + n).padStart(pool.width, '0')}`, now);
  });
  if (labelsDir !== undefined) {
    const uri = formatPrinterUri(parsePrinterUri(`folder:${labelsDir}`));
    client
      .prepare('INSERT INTO printers (id, name, uri, lang, dpi, documents, settings, paused, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)')
      .run(uuidv7(), DEMO_PRINTER_NAME, uri, 'tspl', 203, JSON.stringify(['waybill', 'pick_list', 'packing_slip']), JSON.stringify({ demo: true, widthMm: 76, heightMm: 130, gapMm: 2 }), now);
  }
  client.prepare("INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(DEMO_KIT_KEY);
}

/**
 * A demo station made before the demo kit existed gets it once, with its shops' worlds on the demo
 * delivery clock; any other station (not a demo, or already kitted) is left as it is.
 */
export function ensureDemoKit(db: Db, now: number, options: Pick<DemoTeamOptions, 'labelsDir'> = {}): boolean {
  const client = db.$client;
  return writeTx(db, (tx): boolean => {
      const meta = client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
      if (meta.get('demo')?.value !== '1' || meta.get(DEMO_KIT_KEY)) return false;
      const shops = client.prepare<[], { id: string; settings: string }>('SELECT id, settings FROM shops ORDER BY created_at, id').all();
      const demoShops: string[] = [];
      const write = client.prepare<[string, string]>('UPDATE shops SET settings = ? WHERE id = ?');
      for (const shop of shops) {
        let settings: Record<string, unknown>;
        try {
          settings = JSON.parse(shop.settings) as Record<string, unknown>;
        } catch {
          continue;
        }
        if (typeof settings.seed !== 'number') continue;
        demoShops.push(shop.id);
        if (settings.deliveryScale === undefined) write.run(JSON.stringify({ ...settings, deliveryScale: DEMO_DELIVERY_SCALE }), shop.id);
      }
      addDemoKit(tx, now, demoShops, options.labelsDir);
      return true;
    });
}
