// Why a print did not go through: a stable reason (FailureReason) that a job's stored error names
// (print_jobs.last_error_reason and _details; the screen words it from src/i18n/reasons.*.ts), an
// English message beside it for logs, and the operator's Chinese words that transports and status
// readers still put in PrintFailure.message.
import type { PrintFailureName } from '../../shared/print-failures.ts';
import { redact } from '../../shared/redact.ts';

export const FAILURE_REASONS = {
  refused: '连接被拒绝（打印机未开机或地址/端口不对）',
  unreachable: '找不到打印机（网络不通或地址错误）',
  timeout: '超时（打印机没有响应）',
  closed_early: '打印机提前断开了连接',
  device_missing: '设备不存在（打印机未连接或已拔出）',
  not_a_device: '打印机地址不是打印机设备，没有写入（普通文件、目录、管道都不是打印机）',
  permission: '没有权限访问打印机设备（把当前用户加入 lp 组）',
  io: '写入打印机失败',
  spooler_failed: '系统打印队列拒绝了任务',
  unsupported: '这台电脑不支持该打印机连接方式',
  paper_out: '缺纸',
  head_open: '打印头未合上',
  paper_jam: '卡纸',
  ribbon_out: '碳带用完',
  paused: '打印机处于暂停状态',
  cover_open: '机盖打开',
  overheat: '打印头过热',
  printer_error: '打印机故障',
  render_failed: '生成打印内容失败',
  component_offline: '平台打印组件未启动，请先打开组件',
  component_failed: '平台打印组件报告打印失败',
} as const satisfies Record<PrintFailureName, string>;
export type FailureReason = keyof typeof FAILURE_REASONS;

/**
 * The same failures in English, for the message stored beside the reason (logs, the CLI). A person
 * reads the reason's words instead: printFailure.* in src/i18n/reasons.*.ts.
 */
export const FAILURE_LOG_WORDS: Record<FailureReason, string> = {
  refused: 'connection refused',
  unreachable: 'printer unreachable',
  timeout: 'timed out',
  closed_early: 'the printer closed the connection early',
  device_missing: 'no such device',
  not_a_device: 'the address is not a printer device',
  permission: 'no permission to use the printer device',
  io: 'writing to the printer failed',
  spooler_failed: 'the system print queue refused the job',
  unsupported: 'unsupported printer connection',
  paper_out: 'paper out',
  head_open: 'print head open',
  paper_jam: 'paper jam',
  ribbon_out: 'ribbon out',
  paused: 'printer paused',
  cover_open: 'cover open',
  overheat: 'print head overheated',
  printer_error: 'printer error',
  render_failed: 'could not build what to print',
  component_offline: 'the platform print component is not running',
  component_failed: 'the platform print component reported a failed print',
};

/** How a job's failure is stored: which reason frames it (electron/shared/reasons.ts). */
export type JobFailureReason = 'print_job.failed' | 'print_job.not_sent' | 'print_job.maybe_delivered' | 'print_job.problem_after_send';

/** The print_jobs columns for a failure: an English message, the reason, and its details as JSON (redacted). */
export function storedFailure(reason: JobFailureReason, f: PrintFailure): { last_error: string; last_error_reason: string; last_error_details: string } {
  const detail = f.detail ? redact(f.detail) : undefined;
  const what = `${FAILURE_LOG_WORDS[f.reason]}${detail ? `: ${detail}` : ''}`;
  const message = {
    'print_job.failed': what,
    'print_job.not_sent': `${what} (checked before sending; nothing was sent)`,
    'print_job.maybe_delivered': `sending broke off and the printer may have the label (${what}); check whether it printed`,
    'print_job.problem_after_send': `delivered to the printer, but: ${what}; check whether it printed`,
  }[reason];
  return { last_error: message, last_error_reason: reason, last_error_details: JSON.stringify({ failure: f.reason, ...(detail ? { detail } : {}) }) };
}

export interface FailureOptions {
  /**
   * The link failed after the job's bytes began to leave (a connection reset or a timeout after the
   * connect, a device write that broke off, a spooler that never answered): the printer may have the
   * label. The queue never sends such a job again by itself — it becomes 'uncertain' for a person.
   */
  maybeDelivered?: boolean;
}

/** A transport or status failure; message is the Chinese text, detail the technical cause for logs. */
export class PrintFailure extends Error {
  override name = 'PrintFailure';
  readonly maybeDelivered: boolean;
  constructor(
    readonly reason: FailureReason,
    readonly detail?: string,
    opts: FailureOptions = {},
  ) {
    super(detail ? `${FAILURE_REASONS[reason]}：${detail}` : FAILURE_REASONS[reason]);
    this.maybeDelivered = opts.maybeDelivered ?? false;
  }
}

/** Maps a Node system error (socket, file, child process) to the operator's reason. */
export function failureFromError(err: unknown, opts: FailureOptions = {}): PrintFailure {
  if (err instanceof PrintFailure) return opts.maybeDelivered && !err.maybeDelivered ? new PrintFailure(err.reason, err.detail, opts) : err;
  const f = systemFailure(err);
  return opts.maybeDelivered ? new PrintFailure(f.reason, f.detail, opts) : f;
}

function systemFailure(err: unknown): PrintFailure {
  const e = err as NodeJS.ErrnoException;
  const detail = e?.code ? `${e.code}` : String((e as Error)?.message ?? err);
  switch (e?.code) {
    case 'ECONNREFUSED':
      return new PrintFailure('refused', detail);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new PrintFailure('unreachable', detail);
    case 'ETIMEDOUT':
      return new PrintFailure('timeout', detail);
    case 'ECONNRESET':
    case 'EPIPE':
      return new PrintFailure('closed_early', detail);
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      return new PrintFailure('device_missing', detail);
    case 'EACCES':
    case 'EPERM':
      return new PrintFailure('permission', detail);
    default:
      return new PrintFailure('io', detail);
  }
}
