// End to end: the SyncScheduler syncs a Douyin 抖店 shop from the loopback doudian server into a real
// SQLite file and picks up later changes (the shared scenario in ../sync-e2e-harness.ts, with
// doudian's particulars).
import { describeSchedulerSync } from '../../../testkit/platforms/sync-harness.ts';
import { createDouyinAdapter } from './adapter.ts';
import { DOUDIAN_ERR } from './errors.ts';
import { startPlatformServer } from '../../../sandbox/platforms/douyin/server.ts';

describeSchedulerSync({
  label: 'doudian',
  platform: 'douyin',
  shopName: '抖店',
  app: { appKey: '7000000000000000001', appSecret: 'dd-s3cret', accessToken: 'tok-dd-123' },
  startServer: startPlatformServer,
  createAdapter: createDouyinAdapter,
  // Whole seconds; doudian lists unpaid (order_status 1) orders too, so orders are listed as generated.
  throttledError: new RegExp(String(DOUDIAN_ERR.throttled)),
});
