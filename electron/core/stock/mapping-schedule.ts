// Scheduled mapping pulls: listings change on the platforms (new products, codes edited), so each
// active shop's listing is pulled again every few hours (mapping-pull.ts), and a shop never pulled
// is pulled soon after start. Offline-tolerant: a shop whose pull fails (no network, an expired
// token, the platform down) is logged and tried again after a shorter wait; the others go on and the
// loop never throws. The background worker (or, for an inline station, the host) runs one of these
// beside the stock pushes. The last complete pull of each shop is what mapping.list's lastPulls show;
// a failed one is kept until the next completes (failedPulls), so the 商品对应 view says so in words.
import { z } from 'zod';
import type { Actor } from '../../shared/contract.ts';
import type { CoreContext } from '../api/command.ts';
import type { EventBus } from '../api/events.ts';
import type { HybridClock } from '../api/hlc.ts';
import type { ReadDb } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { periodic, type PeriodicLoop } from '../background/periodic.ts';
import type { PlatformAdapter, ShopRecord } from '../platforms/contract.ts';
import { adapterFor as registryAdapterFor, shopWithSecrets } from '../platforms/registry.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { createStationClock } from '../station/clock.ts';
import { lastPull, lastPullFailure } from './mapping.ts';
import { pullMappings } from './mapping-pull.ts';
import { SYSTEM_ACTOR_NAMES } from '../../shared/hub/system-actors.ts';

export const MAPPING_PULL_SETTINGS_KEY = 'stock.mapping.schedule';

export interface MappingPullSettings {
  /** Scheduled pulls happen at all (a manual pull, mapping.pull, works either way). */
  enabled: boolean;
  /** Hours between two complete pulls of a shop's listing. */
  everyHours: number;
  /** Minutes before a shop whose pull failed is tried again. */
  retryMinutes: number;
}

export const DEFAULT_MAPPING_PULL_SETTINGS: MappingPullSettings = { enabled: true, everyHours: 6, retryMinutes: 30 };

// Field by field, so a value another version wrote still yields what this one understands.
const settingsSchema = z.object({
  enabled: z.boolean().catch(DEFAULT_MAPPING_PULL_SETTINGS.enabled),
  everyHours: z.number().min(0.25).max(24 * 7).catch(DEFAULT_MAPPING_PULL_SETTINGS.everyHours),
  retryMinutes: z.number().int().min(1).max(24 * 60).catch(DEFAULT_MAPPING_PULL_SETTINGS.retryMinutes),
});

/** The stored settings (JSON in meta under MAPPING_PULL_SETTINGS_KEY); missing or unreadable reads as the defaults. */
export function readMappingPullSettings(db: ReadDb): MappingPullSettings {
  const row = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(MAPPING_PULL_SETTINGS_KEY);
  if (!row) return { ...DEFAULT_MAPPING_PULL_SETTINGS };
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : { ...DEFAULT_MAPPING_PULL_SETTINGS };
  } catch {
    return { ...DEFAULT_MAPPING_PULL_SETTINGS };
  }
}

/** Who pulls on the schedule, as the audit log names it. */
const SCHEDULE_ACTOR: Actor = { userId: 'upkeep', name: SYSTEM_ACTOR_NAMES.upkeep, role: 'owner' };

export interface MappingPullServiceDeps {
  db: Db;
  events: EventBus;
  now: () => number;
  clock?: HybridClock | undefined;
  secretCipher?: SecretCipher | undefined;
  adapterFor?: ((shop: ShopRecord) => PlatformAdapter) | undefined;
  /** How often the shops are looked at (default one minute; the first look is one tick after start). */
  tickMs?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string) => void;
}

export interface ScheduledPullResult {
  /** Shops whose pull was due and ran, with the error of those that failed (null: pulled). */
  pulled: { shopId: string; error: string | null }[];
}

export class MappingPullService {
  private readonly deps: MappingPullServiceDeps;
  private readonly loop: PeriodicLoop;
  /** When each shop was last tried by this service (a failure leaves no pull record to go by). */
  private readonly triedAt = new Map<string, number>();
  private busy: Promise<ScheduledPullResult> | null = null;

  constructor(deps: MappingPullServiceDeps) {
    this.deps = deps;
    this.loop = periodic(() => void this.tick(), { everyMs: deps.tickMs ?? 60_000 });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.loop.stop();
    await this.busy?.catch(() => undefined);
  }

  /** The active shops due a pull now: never pulled or pulled everyHours ago, and not tried within retryMinutes. */
  dueShops(now: number, settings: MappingPullSettings = readMappingPullSettings(this.deps.db)): string[] {
    const shops = this.deps.db.$client.prepare<[], { id: string }>("SELECT id FROM shops WHERE state = 'active' ORDER BY name, id").all();
    return shops
      .filter(({ id }) => {
        const pulled = lastPull(this.deps.db, id)?.at;
        if (pulled !== undefined && now - pulled < settings.everyHours * 3_600_000) return false;
        // The failure kept in meta counts too, so a restart does not pull a failing shop at once again.
        const tried = Math.max(this.triedAt.get(id) ?? -Infinity, lastPullFailure(this.deps.db, id)?.at ?? -Infinity);
        return now - tried >= settings.retryMinutes * 60_000;
      })
      .map((s) => s.id);
  }

  /** One look: pull every due shop, one after another. Ticks never overlap; nothing thrown escapes. */
  tick(): Promise<ScheduledPullResult> {
    if (this.busy) return this.busy;
    const run = this.tickOnce()
      .catch((err: unknown): ScheduledPullResult => {
        this.log(`scheduled pull failed: ${err instanceof Error ? err.message : String(err)}`);
        return { pulled: [] };
      })
      .finally(() => {
        this.busy = null;
      });
    this.busy = run;
    return run;
  }

  private log(message: string): void {
    (this.deps.log ?? ((m: string) => console.warn(`[mapping-pull] ${m}`)))(message);
  }

  private async tickOnce(): Promise<ScheduledPullResult> {
    const { db, events, now } = this.deps;
    const settings = readMappingPullSettings(db);
    if (!settings.enabled) return { pulled: [] };
    const due = this.dueShops(now(), settings);
    const out: ScheduledPullResult = { pulled: [] };
    if (due.length === 0) return out;
    const ctx: CoreContext = { db, events, now, actor: SCHEDULE_ACTOR, clock: this.deps.clock ?? createStationClock(db, now) };
    const make = this.deps.adapterFor ?? ((shop: ShopRecord) => registryAdapterFor(shop, { now }));
    const pullDeps = {
      adapterFor: (shop: ShopRecord) => make(shopWithSecrets(db, this.deps.secretCipher, shop)),
      retryAfterMs: settings.retryMinutes * 60_000,
      ...(this.deps.sleep ? { sleep: this.deps.sleep } : {}),
    };
    for (const shopId of due) {
      this.triedAt.set(shopId, now());
      let error: string | null;
      try {
        // One shop per call: pullMappings reports a shop's failure in its result instead of throwing.
        error = (await pullMappings(ctx, pullDeps, { shopId })).shops[0]?.error ?? null;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      if (error !== null) this.log(`shop ${shopId}: ${error}; tried again in ${settings.retryMinutes} min`);
      out.pulled.push({ shopId, error });
    }
    return out;
  }
}
