// ensureDemoTeam: with a secret cipher, real-platform shops whose demo credentials are stored
// encrypted (never in settings); without one, the in-process sandbox team as before.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/db/open.ts';
import { createLocalKeyCipher, keyFileFor, loadShopSecrets } from '../../core/shops/secrets.ts';
import { worldShopOf } from './adapter.ts';
import { DEMO_GATEWAY_NOT_STARTED, DEMO_HISTORY_MS, DEMO_SHOPS, DEMO_SYNC_INTERVAL_MS, ensureDemoTeam } from './demo-team.ts';

const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function station() {
  const dir = mkdtempSync(join(tmpdir(), 'demo-team-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'shopfleet.db');
  const db = openDatabase(file);
  cleanups.push(() => db.$client.close());
  return { db, cipher: createLocalKeyCipher(keyFileFor(file)) };
}

type Row = { id: string; name: string; platform: string; state: string; settings: string };

describe('ensureDemoTeam with a secret cipher', () => {
  it('creates real-platform shops with encrypted demo credentials and world settings', () => {
    const { db, cipher } = station();
    const ids = ensureDemoTeam(db, NOW, { secretCipher: cipher });
    expect(ids).toHaveLength(DEMO_SHOPS.length);
    const rows = db.$client.prepare('SELECT id, name, platform, state, settings FROM shops ORDER BY created_at').all() as Row[];
    expect(rows.map((r) => [r.name, r.platform, r.state])).toEqual(DEMO_SHOPS.map((t) => [t.name, t.imitates, 'active']));
    const appKeys = new Set<string>();
    const tokens = new Set<string>();
    rows.forEach((row, i) => {
      const s = JSON.parse(row.settings) as Record<string, unknown>;
      expect(s).toMatchObject({
        demo: true,
        imitates: row.platform,
        categories: DEMO_SHOPS[i]!.categories,
        ordersPerHour: DEMO_SHOPS[i]!.ordersPerHour,
        worldStartMs: NOW - DEMO_HISTORY_MS,
        gateway: DEMO_GATEWAY_NOT_STARTED,
        syncIntervalMs: DEMO_SYNC_INTERVAL_MS,
      });
      expect(typeof s.seed).toBe('number');
      expect(s.appSecret).toBeUndefined();
      expect(s.accessToken).toBeUndefined();
      // The settings describe the same world the sandbox adapter would have simulated.
      expect(worldShopOf(row)).toMatchObject({ seed: s.seed, imitates: row.platform, worldStartMs: NOW - DEMO_HISTORY_MS });
      const secrets = loadShopSecrets(db, cipher, row.id);
      expect(secrets?.appSecret).toMatch(/^[0-9a-f]{32}$/);
      expect(secrets?.accessToken).toMatch(/^[0-9a-f]{32}$/);
      appKeys.add(s.appKey as string);
      tokens.add(secrets!.accessToken);
    });
    expect(appKeys.size).toBe(rows.length);
    expect(tokens.size).toBe(rows.length);
    // Ciphertext only in the database.
    const stored = db.$client.prepare('SELECT ciphertext FROM shop_secrets').all() as { ciphertext: string }[];
    expect(stored).toHaveLength(rows.length);
    for (const { ciphertext } of stored) for (const t of tokens) expect(Buffer.from(ciphertext, 'base64').toString('latin1')).not.toContain(t);

    // A second call on a station that has shops does nothing.
    expect(ensureDemoTeam(db, NOW + 1000, { secretCipher: cipher })).toEqual([]);
  });

  it('still makes the in-process sandbox team without a cipher', () => {
    const { db } = station();
    ensureDemoTeam(db, NOW, { shops: 3 });
    const rows = db.$client.prepare('SELECT platform, settings FROM shops').all() as Row[];
    expect(rows.map((r) => r.platform)).toEqual(['sandbox', 'sandbox', 'sandbox']);
    expect(db.$client.prepare('SELECT count(*) AS n FROM shop_secrets').get()).toEqual({ n: 0 });
  });
});
