// End to end: the SyncScheduler syncs a JD shop from the loopback JD JOS server into a real SQLite file
// and picks up later changes (the shared scenario in ../sync-e2e-harness.ts, with JD's particulars).
import { describeSchedulerSync } from '../../../testkit/platforms/sync-harness.ts';
import { createJdAdapter } from './adapter.ts';
import { JD_ERR } from './errors.ts';
import { startPlatformServer } from '../../../sandbox/platforms/jd/server.ts';

describeSchedulerSync({
  label: 'JD',
  platform: 'jd',
  shopName: '京东店',
  app: { appKey: 'jd-app-1', appSecret: 'jd-s3cret', accessToken: 'tok-jd-123' },
  startServer: startPlatformServer,
  createAdapter: createJdAdapter,
  // Whole seconds; JD enSearch lists paid orders only, so none is unpaid.
  listed: (o) => ({ ...o, status: o.status === 'unpaid' ? 'awaiting_shipment' : o.status }),
  // The scheduler's error names the platform, the API and JD's throttling code.
  throttledError: `jd jingdong.pop.order.enSearch: ${JD_ERR.throttled} `,
});
