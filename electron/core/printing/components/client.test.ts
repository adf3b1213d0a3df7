// Each print component's client against its loopback fake: the wire format per protocol,
// getPrinters, print → notification, failure with the component's reason, refusal, not running,
// malformed JSON, silence, and reconnecting after the component restarts.
import { afterEach, describe, expect, it } from 'vitest';
import { PRINT_COMPONENTS, type PrintComponent } from '../uri.ts';
import { ComponentClient } from './client.ts';
import { FakeComponent } from '../../../sandbox/printing/fake-component.ts';
import { COMPONENTS, type ComponentDocument } from './protocol.ts';

const fakes: FakeComponent[] = [];
const clients: ComponentClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const f of fakes.splice(0)) await f.stop();
});

async function fake(kind: PrintComponent, o: Parameters<typeof FakeComponent.start>[1] = {}) {
  const f = await FakeComponent.start(kind, o);
  fakes.push(f);
  return f;
}
function client(kind: PrintComponent, url: string, o: { requestTimeoutMs?: number; connectTimeoutMs?: number } = {}) {
  const c = new ComponentClient({ kind, url, requestTimeoutMs: 1500, connectTimeoutMs: 1500, ...o });
  clients.push(c);
  return c;
}

const doc = (waybillNo: string): ComponentDocument => ({
  documentID: waybillNo,
  contents: [{ encryptedData: 'AES:abc==', signature: 'sig', templateURL: 'http://cloudprint.cainiao.com/template/standard/101/1', ver: 'waybill_print_secret_version_1' }],
});

async function until(cond: () => boolean, ms = 2000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A closed port: listen, note the port, close. */
async function closedPortUrl(kind: PrintComponent): Promise<string> {
  const f = await FakeComponent.start(kind);
  const url = f.url;
  await f.stop();
  return url;
}

describe.each(PRINT_COMPONENTS.map((k) => [k]))('%s component', (kind) => {
  it('lists its printers', async () => {
    const f = await fake(kind, { printers: ['GP-L80180 Series', '得力 DL-888D'], defaultPrinter: '得力 DL-888D' });
    const c = client(kind, f.url);
    const r = await c.getPrinters();
    expect(r.printers).toEqual(['GP-L80180 Series', '得力 DL-888D']);
    expect(r.defaultPrinter).toBe(COMPONENTS[kind].dialect === 'jd' ? null : '得力 DL-888D');
    expect(f.violations).toEqual([]);
  });

  it('prints: the task is accepted, then the result says printed', async () => {
    const f = await fake(kind);
    const c = client(kind, f.url);
    await c.print({ taskID: 'T-1', printer: 'GP-L80180 Series', documents: [doc('YT0000000001')] });
    const r = await c.waitForTask('T-1', 2000);
    expect(r).toEqual({ taskID: 'T-1', state: 'printed', message: '' });
    expect(f.violations).toEqual([]);
    expect(f.tasks.size).toBe(1);
  });

  it('a failed print carries the component’s reason', async () => {
    const f = await fake(kind, { behaviour: 'fail', failReason: '打印机缺纸' });
    const c = client(kind, f.url);
    if (COMPONENTS[kind].dialect === 'jd') {
      // JD has no notification: the failure is the PRINT answer itself.
      await expect(c.print({ taskID: 'T-2', printer: '', documents: [doc('JD0001')] })).rejects.toMatchObject({ reason: 'component_failed', message: expect.stringContaining('打印机缺纸') });
      return;
    }
    await c.print({ taskID: 'T-2', printer: '', documents: [doc('YT0000000002')] });
    expect(await c.waitForTask('T-2', 2000)).toEqual({ taskID: 'T-2', state: 'failed', message: '打印机缺纸' });
  });

  it('a refused task rejects with the component’s words', async () => {
    const f = await fake(kind, { behaviour: 'refuse', failReason: '模板下载失败' });
    const c = client(kind, f.url);
    await expect(c.print({ taskID: 'T-3', printer: '', documents: [doc('YT3')] })).rejects.toMatchObject({ reason: 'component_failed', message: expect.stringContaining(`${COMPONENTS[kind].name}拒绝了打印任务`) });
  });

  it('not running: a clear error in words', async () => {
    const c = client(kind, await closedPortUrl(kind));
    await expect(c.getPrinters()).rejects.toMatchObject({ reason: 'component_offline', message: `${COMPONENTS[kind].name}未启动，请先打开组件` });
  });

  it('malformed JSON is ignored and the request times out; the client still works afterwards', async () => {
    const f = await fake(kind, { behaviour: 'malformed' });
    const c = client(kind, f.url, { requestTimeoutMs: 300 });
    await expect(c.getPrinters()).rejects.toMatchObject({ reason: 'timeout', message: expect.stringContaining(`${COMPONENTS[kind].name}没有回应`) });
    expect(c.malformedFrames).toBe(1);
    f.behaviour = 'print';
    expect((await c.getPrinters()).printers.length).toBe(2);
  });

  it('reconnects after the component restarts', async () => {
    const f = await fake(kind);
    const c = client(kind, f.url);
    await c.getPrinters();
    expect(c.epoch).toBe(1);
    await f.stop();
    await until(() => !c.connected);
    await expect(c.getPrinters()).rejects.toMatchObject({ reason: 'component_offline' });
    await f.restart();
    expect((await c.getPrinters()).printers).toEqual(f.printers);
    expect(c.epoch).toBe(2);
    await c.print({ taskID: 'T-4', printer: '', documents: [doc('YT4')] });
    expect((await c.waitForTask('T-4', 2000))?.state).toBe('printed');
  });
});

describe('wire format', () => {
  it('CNPrint: {cmd, requestID, version 1.0, task{taskID, printer, preview:false, documents}}', async () => {
    const f = await fake('cainiao');
    const c = client('cainiao', f.url);
    await c.print({ taskID: 'T-9', printer: 'GP-L80180 Series', documents: [doc('YT9')] });
    const frame = f.received[0] as Record<string, unknown>;
    expect(Object.keys(frame).sort()).toEqual(['cmd', 'requestID', 'task', 'version']);
    expect(frame).toMatchObject({ cmd: 'print', version: '1.0', task: { taskID: 'T-9', preview: false, printer: 'GP-L80180 Series', documents: [doc('YT9')] } });
    expect(typeof frame.requestID).toBe('string');
  });

  it('PDD results arrive as PrintResultNotify; a notification of another component’s name is not taken as one', async () => {
    const f = await fake('pdd');
    const c = client('pdd', f.url);
    const seen: string[] = [];
    c.onResult((r) => seen.push(`${r.taskID}:${r.state}`));
    await c.print({ taskID: 'P-1', printer: '', documents: [doc('PDD1')] });
    await c.waitForTask('P-1', 2000);
    expect(seen).toEqual(['P-1:rendered', 'P-1:printed']);
  });

  it('JD: {orderType PRINT, key, version 2, parameters{printName, contents[{tempUrl, printData}]}}', async () => {
    const f = await fake('jd');
    const c = client('jd', f.url);
    await c.print({ taskID: 'J-1', printer: 'GP-L80180 Series', documents: [doc('JD1')] });
    const frame = f.received[0] as Record<string, unknown>;
    expect(frame).toMatchObject({ orderType: 'PRINT', version: '2', parameters: { printName: 'GP-L80180 Series', contents: [{ tempUrl: 'http://cloudprint.cainiao.com/template/standard/101/1', printData: 'AES:abc==' }] } });
    expect(c.taskResult('J-1')?.state).toBe('printed');
  });

  it('silence: no notification within the wait → null, the task stays rendered', async () => {
    const f = await fake('cainiao', { behaviour: 'silent' });
    const c = client('cainiao', f.url);
    await c.print({ taskID: 'S-1', printer: '', documents: [doc('YTS1')] });
    expect(await c.waitForTask('S-1', 200)).toBeNull();
    expect(c.taskResult('S-1')?.state).toBe('rendered');
    // The component finishes it later; getTaskStatus tells.
    f.finishTask('S-1', 'printed');
    const states = await c.getTaskStatus(['S-1', 'NOPE']);
    expect(states.get('S-1')?.state).toBe('printed');
    expect(states.get('NOPE')?.state).toBe('unknown');
    expect(await c.waitForTask('S-1', 10)).toMatchObject({ state: 'printed' });
  });

  it('a dropped connection fails the pending request as closed_early', async () => {
    const f = await fake('douyin', { behaviour: 'mute' });
    const c = client('douyin', f.url, { requestTimeoutMs: 5000 });
    const pending = c.getPrinters();
    await new Promise((r) => setTimeout(r, 50));
    f.dropConnections();
    await expect(pending).rejects.toMatchObject({ reason: 'closed_early', message: expect.stringContaining('抖音打印组件断开了连接') });
  });
});
