// Every write of a shop's secrets on a joined station queues an upload (a counter in meta, never the
// secrets); secrets that came from the hub and writes on a station without a hub queue nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { writeTx } from '../db/access.ts';
import { openDatabase } from '../db/open.ts';
import { createLocalKeyCipher, keyFileFor, saveShopSecrets, storeShopSecrets } from '../shops/secrets.ts';
import { readCredentialState } from './credential-state.ts';
import { joinedSettings } from '../../testkit/hub-settings.ts';
import { writeHubSettings } from './settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'credential-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('queues an upload per change on a joined station only, and never for secrets fetched from the hub', () => {
  const file = join(dir, 'desk.db');
  const db = openDatabase(file);
  const cipher = createLocalKeyCipher(keyFileFor(file));
  db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES ('s1', '拼多多旗舰店', 'pdd', 'active', 0, '{}')").run();
  const secrets = { appSecret: 'APPSECRET-1', accessToken: 'ACCESS-1', refreshToken: 'REFRESH-1' };
  // Not joined: nothing to send anywhere.
  writeTx(db, (tx) => saveShopSecrets(tx, cipher, 's1', secrets));
  expect(readCredentialState(db)).toEqual({});

  const now = Date.now();
  writeTx(db, (tx) => writeHubSettings(tx, joinedSettings()));
  // A re-entered token and a refresh (the paths of shops.updateCredentials, OAuth and token-refresh.ts).
  writeTx(db, (tx) => storeShopSecrets(tx, cipher, 's1', { accessToken: 'ACCESS-2' }));
  writeTx(db, (tx) => storeShopSecrets(tx, cipher, 's1', { accessToken: 'ACCESS-3', refreshToken: 'REFRESH-3' }));
  expect(readCredentialState(db).s1).toEqual({ pending: 2 });
  writeTx(db, (tx) => saveShopSecrets(tx, cipher, 's1', secrets, now, { fromHub: true }));
  expect(readCredentialState(db).s1).toEqual({ pending: 2 });
  // The queue holds markers, never a secret.
  expect(JSON.stringify(db.$client.prepare('SELECT value FROM meta').all())).not.toMatch(/ACCESS-|REFRESH-|APPSECRET/);
  db.$client.close();
});
