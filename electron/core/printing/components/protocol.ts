// The platform print components' local WebSocket protocols as data: where each listens, what it is
// called in words, and how our three commands (getPrinters, print, getTaskStatus) and its replies and
// print-result notifications look on the wire: docs/printing/components.md (all five components).
// Sources there: gavin-hao/ec-print src/printProvider.ts and src/providers/*.ts. Anything not in those is marked [UNVERIFIED].
import type { PrintComponent } from '../uri.ts';
import { PrintFailure } from '../failure.ts';

export interface ComponentInfo {
  /** The component's name as an operator knows it. */
  name: string;
  /** The plain-ws endpoint for pages served over http (what a desktop app uses). */
  url: string;
  /** 'cnprint' = Cainiao-style {cmd, requestID, version:'1.0'}; 'jd' = JD's {orderType, key, version:'2', parameters}. */
  dialect: 'cnprint' | 'jd';
  /** The cmd of the asynchronous print-result notification (cnprint dialect only). */
  notifyCmd: string | null;
}

export const COMPONENTS: Record<PrintComponent, ComponentInfo> = {
  // ws://localhost:13528 (wss 13529) — docs/printing/components.md#endpoints.
  cainiao: { name: '菜鸟打印组件', url: 'ws://localhost:13528', dialect: 'cnprint', notifyCmd: 'notifyPrintResult' },
  // ws://127.0.0.1:5000 (wss 18653); the notification is PrintResultNotify — docs/printing/components.md#endpoints.
  pdd: { name: '拼多多打印组件', url: 'ws://127.0.0.1:5000', dialect: 'cnprint', notifyCmd: 'PrintResultNotify' },
  // ws://localhost:13888 (wss 13999) — docs/printing/components.md#endpoints. ec-print passes Douyin frames
  // through unchanged and listens for notifyPrintResult, so that is the name used here [UNVERIFIED against
  // the real component].
  douyin: { name: '抖音打印组件', url: 'ws://localhost:13888', dialect: 'cnprint', notifyCmd: 'notifyPrintResult' },
  // ws://localhost:16888/ks/printer — docs/printing/components.md#endpoints; notification name as for Douyin
  // [UNVERIFIED].
  kuaishou: { name: '快手打印组件', url: 'ws://localhost:16888/ks/printer', dialect: 'cnprint', notifyCmd: 'notifyPrintResult' },
  // ws://localhost:9113, orderType GET_Printers / PRINT, version "2" — docs/printing/components.md#jd. JD
  // sends no print-result notification (ec-print: "notifyPrintResult … not implemented" for JD) and has no
  // getTaskStatus.
  jd: { name: '京东打印组件', url: 'ws://localhost:9113', dialect: 'jd', notifyCmd: null },
};

/** Where a task stands as the component reports it. 'unknown' = the component does not know the task. */
export type TaskState = 'rendered' | 'printed' | 'failed' | 'unknown';

export interface TaskResult {
  taskID: string;
  state: TaskState;
  /** The component's words for a failure (per-document msg/detail joined). */
  message: string;
}

/** One document of a print task: documentID = the waybill number; contents = print data + our custom area. */
export interface ComponentDocument {
  documentID: string;
  contents: Record<string, unknown>[];
}

export interface ComponentPrintTask {
  taskID: string;
  /** The component's printer name; '' = its default printer. */
  printer: string;
  documents: ComponentDocument[];
}

export type ComponentCommand =
  | { cmd: 'getPrinters' }
  | { cmd: 'print'; task: ComponentPrintTask }
  | { cmd: 'getTaskStatus'; taskIDs: string[] };

/** A component's frame after decoding. */
export type Incoming =
  | { kind: 'reply'; requestID: string; cmd: string; ok: boolean; message: string; body: Record<string, unknown> }
  | { kind: 'notify'; result: TaskResult }
  | { kind: 'other'; body: Record<string, unknown> };

/** A failure with the component's name in it, e.g. "菜鸟打印组件未启动，请先打开组件". */
export class ComponentFailure extends PrintFailure {
  constructor(
    reason: ConstructorParameters<typeof PrintFailure>[0],
    readonly component: PrintComponent,
    words: string,
    detail?: string,
  ) {
    super(reason, detail);
    this.message = detail ? `${words}（${detail}）` : words;
  }
}

export const offline = (c: PrintComponent, detail?: string) => new ComponentFailure('component_offline', c, `${COMPONENTS[c].name}未启动，请先打开组件`, detail);

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * A task's state from CNPrint's words. notifyPrintResult carries taskStatus rendered|printed|failed and
 * printStatus[{documentID, status, msg, detail}]
 * (docs/printing/components.md#the-cainiao-style-protocol-cainiao-pdd-douyin-kuaishou); any document 'failed'
 * fails the task.
 */
export function taskResultOf(taskID: string, taskStatus: unknown, docs: unknown): TaskResult {
  const perDoc = list(docs).map(obj);
  const failedDocs = perDoc.filter((d) => str(d.status) === 'failed');
  const words = (ds: Record<string, unknown>[]) =>
    ds
      .map((d) => [str(d.msg), str(d.detail)].filter((s) => s !== '').join('：'))
      .filter((s) => s !== '')
      .join('；');
  const status = str(taskStatus);
  if (status === 'failed' || failedDocs.length > 0) return { taskID, state: 'failed', message: words(failedDocs.length > 0 ? failedDocs : perDoc) || '组件没有说明原因' };
  if (status === 'printed') return { taskID, state: 'printed', message: '' };
  if (status === 'rendered') return { taskID, state: 'rendered', message: '' };
  return { taskID, state: 'unknown', message: status };
}

/** Encodes one command as the component's JSON text frame. */
export function encodeCommand(c: PrintComponent, requestID: string, command: ComponentCommand): string {
  const info = COMPONENTS[c];
  if (info.dialect === 'jd') {
    // JD: {orderType, key (our request id, echoed back), version "2", parameters} — docs/printing/components.md#jd.
    if (command.cmd === 'getPrinters') return JSON.stringify({ orderType: 'GET_Printers', key: requestID, version: '2', parameters: {} });
    if (command.cmd === 'print') {
      const doc = command.task.documents[0];
      // JD's contents element is {tempUrl, printData, customTempUrl, customData}
      // (docs/printing/components.md#jd); the printer field name printName is [UNVERIFIED]. One document per
      // task (what the queue sends anyway).
      return JSON.stringify({ orderType: 'PRINT', key: requestID, version: '2', parameters: { printName: command.task.printer, contents: doc ? [jdContent(doc.contents)] : [], taskID: command.task.taskID } });
    }
    throw new ComponentFailure('unsupported', c, `${info.name}不支持查询打印任务状态`);
  }
  const head = { cmd: command.cmd, requestID, version: '1.0' };
  if (command.cmd === 'getPrinters') return JSON.stringify(head);
  // getTaskStatus takes {taskID:[…]}
  // (docs/printing/components.md#the-cainiao-style-protocol-cainiao-pdd-douyin-kuaishou).
  if (command.cmd === 'getTaskStatus') return JSON.stringify({ ...head, taskID: command.taskIDs });
  return JSON.stringify({ ...head, task: { taskID: command.task.taskID, preview: false, printer: command.task.printer, documents: command.task.documents } });
}

/**
 * One JD contents element from a document's contents: the platform part (templateURL → tempUrl,
 * encryptedData or data → printData) and our custom area (→ customTempUrl, customData) in one element,
 * as docs/printing/components.md#jd gives JD's shape {tempUrl, printData, customTempUrl, customData} [UNVERIFIED
 * mapping: JD's own waybill print data is not in the public sources; ShopFleet stores none yet]. An element
 * already in JD's shape passes unchanged.
 */
function jdContent(contents: Record<string, unknown>[]): Record<string, unknown> {
  const [main = {}, custom] = contents;
  if ('tempUrl' in main) return main;
  const out: Record<string, unknown> = { tempUrl: main.templateURL ?? main.templateUrl, printData: main.encryptedData ?? main.data };
  if (custom) Object.assign(out, { customTempUrl: custom.templateURL ?? custom.templateUrl, customData: custom.data });
  return out;
}

/** Decodes a frame the component sent; throws SyntaxError on text that is not a JSON object. */
export function decodeFrame(c: PrintComponent, text: string): Incoming {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('not a JSON object');
  const body = parsed as Record<string, unknown>;
  const info = COMPONENTS[c];
  if (info.dialect === 'jd') {
    // {code, success, message, key, detailinfo:{printers:[…]}}; code 2 = print, 6 = printer list (ec-print jingdong.ts).
    const key = str(body.key);
    if (!key) return { kind: 'other', body };
    const code = str(body.code);
    const cmd = code === '6' ? 'getPrinters' : code === '2' ? 'print' : code === '8' ? 'PRE_View' : 'print';
    // ec-print takes Boolean(success); the component is seen sending "true"/"false" strings, so compare the text [UNVERIFIED].
    const ok = body.success === true || str(body.success) === 'true';
    return { kind: 'reply', requestID: key, cmd, ok, message: str(body.message), body };
  }
  const cmd = str(body.cmd);
  if (cmd !== '' && cmd === info.notifyCmd) return { kind: 'notify', result: taskResultOf(str(body.taskID), body.taskStatus, body.printStatus) };
  const requestID = str(body.requestID);
  if (!requestID) return { kind: 'other', body };
  // CNPrint replies echo cmd and requestID with status "success"/"failed" and msg; no status = success (ec-print cainiao.ts).
  const status = str(body.status);
  return { kind: 'reply', requestID, cmd, ok: status === '' || status === 'success', message: str(body.msg), body };
}

/** Printer names from a getPrinters reply: CNPrint printers[{name}], JD detailinfo.printers[string]. */
export function printersOf(c: PrintComponent, reply: Record<string, unknown>): { printers: string[]; defaultPrinter: string | null } {
  if (COMPONENTS[c].dialect === 'jd') {
    const names = list(obj(reply.detailinfo).printers).map(str).filter((n) => n !== '');
    return { printers: names, defaultPrinter: null };
  }
  const names = list(reply.printers)
    .map((p) => (typeof p === 'string' ? p : str(obj(p).name)))
    .filter((n) => n !== '');
  const def = str(reply.defaultPrinter);
  return { printers: names, defaultPrinter: def || null };
}

/**
 * Task states from a getTaskStatus reply. The sources name only the request ({taskID:[…]}); the reply
 * shape read here — printStatus[{taskID, taskStatus|status, msg}] — is [UNVERIFIED]. A task the reply does
 * not mention is 'unknown'.
 */
export function taskStatesOf(taskIDs: string[], reply: Record<string, unknown>): Map<string, TaskResult> {
  const out = new Map<string, TaskResult>();
  for (const entry of list(reply.printStatus).map(obj)) {
    const id = str(entry.taskID);
    if (!id) continue;
    out.set(id, taskResultOf(id, entry.taskStatus ?? entry.status, entry.printStatus ?? (str(entry.msg) ? [{ status: entry.status, msg: entry.msg }] : [])));
  }
  for (const id of taskIDs) if (!out.has(id)) out.set(id, { taskID: id, state: 'unknown', message: '' });
  return out;
}
