// End to end: the SyncScheduler syncs a PDD shop from the loopback PDD server into a real SQLite file
// and picks up later changes (the shared scenario in ../sync-e2e-harness.ts, with PDD's particulars).
import { describeSchedulerSync } from '../../../testkit/platforms/sync-harness.ts';
import { createPddAdapter } from './adapter.ts';
import { PDD_ERR } from './errors.ts';
import { startPlatformServer } from '../../../sandbox/platforms/pdd/server.ts';

describeSchedulerSync({
  label: 'PDD',
  platform: 'pdd',
  shopName: '拼多多店',
  app: { appKey: 'pdd-app-1', appSecret: 'pdd-s3cret', accessToken: 'tok-123' },
  startServer: startPlatformServer,
  createAdapter: createPddAdapter,
  // Whole seconds; PDD's increment list returns paid orders only, so none is unpaid.
  listed: (o) => ({ ...o, status: o.status === 'unpaid' ? 'awaiting_shipment' : o.status }),
  throttledError: new RegExp(String(PDD_ERR.throttled)),
});
