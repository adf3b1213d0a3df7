// A joined station's hub settings for tests that need a station "on a hub" without one running.
import type { HubSettings } from '../core/hub/settings.ts';

export function joinedSettings(overrides: Partial<HubSettings> = {}): HubSettings {
  const now = Date.now();
  return {
    url: 'http://127.0.0.1:5180',
    stationId: 'st-1',
    stationName: '一号打包台',
    team: { id: 't1', name: '杭州店群' },
    user: { id: 'u1', name: 'boss', role: 'owner', shops: null },
    seqBase: 0,
    cursor: 0,
    resultsAfter: 0,
    joinedAt: now,
    lastPushAt: now,
    lastPullAt: now,
    lastError: null,
    tooOld: false,
    ...overrides,
  };
}
