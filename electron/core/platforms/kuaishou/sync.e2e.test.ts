// End to end: the SyncScheduler syncs a Kuaishou shop from the loopback Kuaishou server into a real
// SQLite file and picks up later changes (the shared scenario in ../sync-e2e-harness.ts, with
// Kuaishou's particulars).
import { describeSchedulerSync } from '../../../testkit/platforms/sync-harness.ts';
import { createKuaishouAdapter } from './adapter.ts';
import { KS_ERR } from './errors.ts';
import { asSingleSkuOrder } from '../../../sandbox/platforms/kuaishou/server-order.ts';
import { startPlatformServer } from '../../../sandbox/platforms/kuaishou/server.ts';

describeSchedulerSync({
  label: 'Kuaishou',
  platform: 'kuaishou',
  shopName: '快手店',
  app: { appKey: 'ks660000000000000001', appSecret: 'ks-sign-s3cret', accessToken: 'tok-123' },
  startServer: startPlatformServer,
  createAdapter: createKuaishouAdapter,
  // Kuaishou orders are 一单一品, and update times are kept to the millisecond.
  listed: asSingleSkuOrder,
  msPrecision: true,
  throttledError: new RegExp(String(KS_ERR.throttled)),
});
