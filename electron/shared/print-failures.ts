// Why a print did not go through, as stable names: the print queue stores one with a failed or
// uncertain job (electron/core/printing/failure.ts), the screen words it (printFailure.* in
// src/i18n/reasons.*.ts). One list, so neither side can name a failure the other lacks.
export const PRINT_FAILURES = [
  'refused',
  'unreachable',
  'timeout',
  'closed_early',
  'device_missing',
  'not_a_device',
  'permission',
  'io',
  'spooler_failed',
  'unsupported',
  'paper_out',
  'head_open',
  'paper_jam',
  'ribbon_out',
  'paused',
  'cover_open',
  'overheat',
  'printer_error',
  'render_failed',
  'component_offline',
  'component_failed',
] as const;
export type PrintFailureName = (typeof PRINT_FAILURES)[number];
