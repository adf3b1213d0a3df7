// A loopback stand-in for one platform print component, for tests: it speaks that component's
// WebSocket protocol (CNPrint-style for Cainiao, PDD, Douyin and Kuaishou with each one's notification
// cmd; JD's orderType/key dialect), checks the requests it gets, answers getPrinters, print and
// getTaskStatus, sends the print-result notification, and has switchable faults: print fails with a
// reason, refuses the task, stays silent (no notification), answers with malformed JSON, or is not
// running (stop(); restart() listens again on the same port and still knows its tasks).
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PrintComponent } from '../../core/printing/uri.ts';

export type FakePrintBehaviour =
  /** Accepts, then notifies rendered and printed. */
  | 'print'
  /** Accepts, then notifies failed with failReason. */
  | 'fail'
  /** Answers the print request with status failed (the task is refused up front). */
  | 'refuse'
  /** Accepts and never notifies (the task stays 'rendered'). */
  | 'silent'
  /** Answers every request with text that is not JSON. */
  | 'malformed'
  /** Takes the request and answers nothing at all. */
  | 'mute';

export interface FakeComponentOptions {
  printers?: string[];
  defaultPrinter?: string;
  behaviour?: FakePrintBehaviour;
  failReason?: string;
  /** Delay before the notification (ms). */
  notifyDelayMs?: number;
}

export interface FakeTask {
  taskID: string;
  printer: string;
  documents: { documentID: string; contents: unknown[] }[];
  state: 'rendered' | 'printed' | 'failed';
  message: string;
}

type Json = Record<string, unknown>;

/**
 * The fake's own copy of each component's protocol facts (docs/printing/components.md#endpoints), kept
 * apart from protocol.ts on purpose so a wrong entry there fails the tests instead of agreeing with itself.
 */
const WIRE: Record<PrintComponent, { dialect: 'cnprint' | 'jd'; notifyCmd: string | null; path: string }> = {
  cainiao: { dialect: 'cnprint', notifyCmd: 'notifyPrintResult', path: '/' },
  pdd: { dialect: 'cnprint', notifyCmd: 'PrintResultNotify', path: '/' },
  douyin: { dialect: 'cnprint', notifyCmd: 'notifyPrintResult', path: '/' },
  kuaishou: { dialect: 'cnprint', notifyCmd: 'notifyPrintResult', path: '/ks/printer' },
  jd: { dialect: 'jd', notifyCmd: null, path: '/' },
};

export class FakeComponent {
  readonly kind: PrintComponent;
  behaviour: FakePrintBehaviour;
  failReason: string;
  notifyDelayMs: number;
  printers: string[];
  defaultPrinter: string;
  /** Every request frame received, parsed (or the raw text when it was not JSON). */
  readonly received: (Json | string)[] = [];
  /** Tasks by id; kept across stop()/restart() like a component that printed while the app was disconnected. */
  readonly tasks = new Map<string, FakeTask>();
  /** Protocol mistakes the fake saw in requests (tests assert this stays empty). */
  readonly violations: string[] = [];
  private wss: WebSocketServer | null = null;
  private port = 0;

  private constructor(kind: PrintComponent, o: FakeComponentOptions) {
    this.kind = kind;
    this.behaviour = o.behaviour ?? 'print';
    this.failReason = o.failReason ?? '打印机缺纸';
    this.notifyDelayMs = o.notifyDelayMs ?? 5;
    this.printers = o.printers ?? ['GP-L80180 Series', 'Deli DL-888'];
    this.defaultPrinter = o.defaultPrinter ?? this.printers[0] ?? '';
  }

  static async start(kind: PrintComponent, o: FakeComponentOptions = {}, port = 0): Promise<FakeComponent> {
    const f = new FakeComponent(kind, o);
    f.port = port;
    await f.listen();
    return f;
  }

  /** ws://127.0.0.1:PORT plus the component's path (Kuaishou listens on /ks/printer). */
  get url(): string {
    return `ws://127.0.0.1:${this.port}${WIRE[this.kind].path.replace(/^\/$/, '')}`;
  }

  get running(): boolean {
    return this.wss !== null;
  }

  private listen(): Promise<void> {
    const path = WIRE[this.kind].path;
    return new Promise((resolve, reject) => {
      const wss = new WebSocketServer({ host: '127.0.0.1', port: this.port, ...(path !== '/' ? { path } : {}) });
      wss.once('error', reject);
      wss.once('listening', () => {
        this.port = (wss.address() as AddressInfo).port;
        this.wss = wss;
        resolve();
      });
      wss.on('connection', (ws) => ws.on('message', (data) => this.onRequest(ws, data.toString())));
    });
  }

  /** Not running: the port is closed and every connection dropped. */
  async stop(): Promise<void> {
    const wss = this.wss;
    if (!wss) return;
    this.wss = null;
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  }

  /** Running again on the same port, remembering its tasks. */
  async restart(): Promise<void> {
    await this.stop();
    await this.listen();
  }

  /** Drops the connections but keeps listening (the component restarted its socket). */
  dropConnections(): void {
    for (const c of this.wss?.clients ?? []) c.terminate();
  }

  /** Finishes a task by hand (e.g. one sent while 'silent'): it is then reported by getTaskStatus. */
  finishTask(taskID: string, state: 'printed' | 'failed', message = ''): void {
    const t = this.tasks.get(taskID);
    if (!t) throw new Error(`fake ${this.kind}: no task ${taskID}`);
    t.state = state;
    t.message = message;
  }

  private send(ws: WebSocket, body: Json): void {
    ws.send(JSON.stringify(body));
  }

  private onRequest(ws: WebSocket, text: string): void {
    let req: Json;
    try {
      req = JSON.parse(text) as Json;
    } catch {
      this.received.push(text);
      this.violations.push('request is not JSON');
      return;
    }
    this.received.push(req);
    if (this.behaviour === 'mute') return;
    if (this.behaviour === 'malformed') {
      ws.send('{"cmd":"print", "requestID": ');
      return;
    }
    if (WIRE[this.kind].dialect === 'jd') this.onJd(ws, req);
    else this.onCnprint(ws, req);
  }

  private onCnprint(ws: WebSocket, req: Json): void {
    const requestID = req.requestID;
    const cmd = req.cmd;
    if (typeof requestID !== 'string' || requestID === '') this.violations.push('missing requestID');
    if (req.version !== '1.0') this.violations.push(`version ${String(req.version)}`);
    const reply = (body: Json) => this.send(ws, { cmd, requestID, ...body });
    switch (cmd) {
      case 'getPrinters':
        reply({ status: 'success', msg: '', printers: this.printers.map((name) => ({ name })), defaultPrinter: this.defaultPrinter });
        return;
      case 'getTaskStatus': {
        const ids = Array.isArray(req.taskID) ? (req.taskID as unknown[]).map(String) : [];
        if (ids.length === 0) this.violations.push('getTaskStatus without taskID[]');
        const known = ids.map((id) => this.tasks.get(id)).filter((t): t is FakeTask => !!t);
        reply({ status: 'success', printStatus: known.map((t) => ({ taskID: t.taskID, taskStatus: t.state, msg: t.message })) });
        return;
      }
      case 'print': {
        const task = this.checkTask(req.task);
        if (!task) {
          reply({ status: 'failed', msg: '任务格式错误' });
          return;
        }
        if (this.behaviour === 'refuse') {
          reply({ status: 'failed', msg: '模板下载失败', taskID: task.taskID });
          return;
        }
        if (task.printer !== '' && !this.printers.includes(task.printer)) {
          reply({ status: 'failed', msg: `打印机 ${task.printer} 不存在`, taskID: task.taskID });
          return;
        }
        this.tasks.set(task.taskID, task);
        reply({ status: 'success', msg: '', taskID: task.taskID });
        this.notify(ws, task);
        return;
      }
      default:
        reply({ status: 'failed', msg: `unknown cmd ${String(cmd)}` });
    }
  }

  /**
   * The print-result notification: rendered first, then printed or failed
   * (docs/printing/components.md#the-cainiao-style-protocol-cainiao-pdd-douyin-kuaishou).
   */
  private notify(ws: WebSocket, task: FakeTask): void {
    const cmd = WIRE[this.kind].notifyCmd!;
    const docs = (status: string, msg = '') => task.documents.map((d) => ({ documentID: d.documentID, status, msg, detail: '' }));
    setTimeout(() => {
      if (ws.readyState !== ws.OPEN) return;
      this.send(ws, { cmd, taskID: task.taskID, taskStatus: 'rendered', printStatus: docs('rendered') });
      if (this.behaviour === 'silent') return;
      if (this.behaviour === 'fail') {
        task.state = 'failed';
        task.message = this.failReason;
        this.send(ws, { cmd, taskID: task.taskID, taskStatus: 'failed', printStatus: docs('failed', this.failReason) });
        return;
      }
      task.state = 'printed';
      this.send(ws, { cmd, taskID: task.taskID, taskStatus: 'printed', printStatus: docs('printed') });
    }, this.notifyDelayMs);
  }

  private checkTask(raw: unknown): FakeTask | null {
    const t = raw as Json | undefined;
    if (!t || typeof t.taskID !== 'string' || t.taskID === '') return this.violate('task.taskID missing');
    if (t.preview !== false) return this.violate('task.preview must be false');
    if (typeof t.printer !== 'string') return this.violate('task.printer missing');
    if (!Array.isArray(t.documents) || t.documents.length === 0) return this.violate('task.documents empty');
    for (const d of t.documents as Json[]) {
      if (typeof d.documentID !== 'string' || !Array.isArray(d.contents) || d.contents.length === 0) return this.violate('document without documentID/contents');
      const first = (d.contents as Json[])[0]!;
      if (typeof first.templateURL !== 'string' && typeof first.templateUrl !== 'string') return this.violate('first content has no templateURL');
    }
    return { taskID: t.taskID, printer: t.printer, documents: t.documents as FakeTask['documents'], state: 'rendered', message: '' };
  }

  private violate(what: string): null {
    this.violations.push(what);
    return null;
  }

  /** JD: {orderType, key, version "2", parameters} → {code, success, message, key, detailinfo}. */
  private onJd(ws: WebSocket, req: Json): void {
    const key = req.key;
    if (typeof key !== 'string' || key === '') this.violations.push('missing key');
    if (req.version !== '2') this.violations.push(`version ${String(req.version)}`);
    const params = (req.parameters ?? {}) as Json;
    if (req.orderType === 'GET_Printers') {
      this.send(ws, { code: '6', success: 'true', message: '', key, status: '', detailinfo: { printers: this.printers } });
      return;
    }
    if (req.orderType === 'PRINT') {
      const contents = Array.isArray(params.contents) ? (params.contents as Json[]) : [];
      if (contents.length === 0 || typeof contents[0]!.tempUrl !== 'string') {
        this.violations.push('PRINT without contents[].tempUrl');
        this.send(ws, { code: '2', success: 'false', message: '参数错误', key });
        return;
      }
      if (this.behaviour === 'refuse' || this.behaviour === 'fail') {
        this.send(ws, { code: '2', success: 'false', message: this.failReason, key });
        return;
      }
      if (this.behaviour === 'silent') return;
      const taskID = typeof params.taskID === 'string' ? params.taskID : String(key);
      this.tasks.set(taskID, { taskID, printer: String(params.printName ?? ''), documents: [{ documentID: taskID, contents }], state: 'printed', message: '' });
      this.send(ws, { code: '2', success: 'true', message: '', key });
      return;
    }
    this.send(ws, { code: '0', success: 'false', message: `unknown orderType ${String(req.orderType)}`, key });
  }
}
