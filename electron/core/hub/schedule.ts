// When a joined station talks to its hub: push then pull every 30 s, ~1 s after a local write
// (debounced), at once after a reconnect, and when the hub pokes over its WebSocket (GET /v1/events;
// reconnected with backoff). Rounds never overlap. It runs on the thread that serves API calls, so it
// hears every command's db.changed; a round is network waits and one short pull transaction.
// Without a hub configured the 30 s tick reads one meta row and stops there: no socket, no request.
import WebSocket from 'ws';
import { HUB_PATHS, hubEvent } from '../../shared/hub/protocol.ts';
import type { EventBus } from '../api/events.ts';
import type { Db } from '../db/open.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { syncOnce, type HubDeps } from './client.ts';
import { uploadPendingCredentials } from './shop-credentials.ts';
import { loadHubToken, readHubSettings } from './settings.ts';

export const PERIOD_MS = 30_000;
export const DEBOUNCE_MS = 1_000;
const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/** Tables whose change is the hub sync's own doing (status reads), never a reason to push again. */
const OWN_TABLES = new Set(['ops']);

export interface HubSyncOptions {
  db: Db;
  events: EventBus;
  secretCipher: SecretCipher;
  now?: () => number;
  periodMs?: number;
  debounceMs?: number;
}

export class HubSyncService {
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private socket: WebSocket | null = null;
  private socketFor: string | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = true;
  private offChanged: (() => void) | null = null;
  private wasOffline = false;
  /** True while this service announces what a pull changed: that is no local write to push. */
  private emitting = false;

  constructor(private readonly o: HubSyncOptions) {}

  private deps(): HubDeps {
    return {
      cipher: this.o.secretCipher,
      ...(this.o.now ? { now: this.o.now } : {}),
      onChanged: (tables) => {
        this.emitting = true;
        try {
          this.o.events.emit('db.changed', { tables });
        } finally {
          this.emitting = false;
        }
      },
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.o.periodMs ?? PERIOD_MS);
    this.timer.unref();
    this.offChanged = this.o.events.on('db.changed', ({ tables }) => {
      if (this.emitting || tables.every((t) => OWN_TABLES.has(t))) return;
      this.debounced();
    });
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    if (this.reconnect) clearTimeout(this.reconnect);
    this.timer = this.soon = this.reconnect = null;
    this.offChanged?.();
    this.offChanged = null;
    this.closeSocket();
    await this.running?.catch(() => undefined);
  }

  private debounced(): void {
    if (this.stopped || this.soon || !readHubSettings(this.o.db)) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      this.kick();
    }, this.o.debounceMs ?? DEBOUNCE_MS);
    this.soon.unref();
  }

  /** Runs a round now, or right after the one in progress. Resolves when the round it asked for is done. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.round().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.kick();
      }
    });
    return this.running;
  }

  private async round(): Promise<void> {
    const s = readHubSettings(this.o.db);
    if (!s) {
      this.closeSocket();
      return;
    }
    this.ensureSocket(s.url);
    try {
      await syncOnce(this.o.db, this.deps());
      if (this.wasOffline) this.wasOffline = false;
      // Shop authorisations changed here follow their rows to the hub (shop-credentials.ts); one the
      // hub cannot take now stays queued for the next round.
      await uploadPendingCredentials(this.o.db, { cipher: this.o.secretCipher }).catch((e) => console.error('[hub] shop authorisation upload failed:', (e as Error).message));
    } catch (err) {
      // Recorded on the status by syncOnce; the next tick, poke or reconnect tries again.
      this.wasOffline = true;
      console.error('[hub] sync round failed:', (err as Error).message);
    }
  }

  private closeSocket(): void {
    const ws = this.socket;
    this.socket = null;
    this.socketFor = null;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.close();
    }
  }

  private ensureSocket(url: string): void {
    if (this.stopped || (this.socket && this.socketFor === url) || this.reconnect) return;
    this.closeSocket();
    let token: string;
    try {
      token = loadHubToken(this.o.db, this.o.secretCipher);
    } catch {
      return;
    }
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${HUB_PATHS.events}`, { headers: { authorization: `Bearer ${token}` } });
    this.socket = ws;
    this.socketFor = url;
    ws.on('open', () => {
      // A reconnect: whatever changed while the link was down is pulled now.
      if (this.failures > 0) void this.kick();
      this.failures = 0;
    });
    ws.on('message', (data) => {
      const parsed = hubEvent.safeParse((() => {
        try {
          return JSON.parse(String(data));
        } catch {
          return null;
        }
      })());
      if (!parsed.success) return;
      if (parsed.data.type === 'poke') void this.kick();
    });
    const retry = () => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.socketFor = null;
      if (this.stopped) return;
      const wait = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)]!;
      this.failures += 1;
      this.reconnect = setTimeout(() => {
        this.reconnect = null;
        const s = readHubSettings(this.o.db);
        if (s) this.ensureSocket(s.url);
      }, wait);
      this.reconnect.unref();
    };
    ws.on('close', retry);
    ws.on('error', () => ws.close());
  }
}
