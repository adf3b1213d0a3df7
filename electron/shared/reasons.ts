// Stable reasons beside the coarse error codes: what exactly went wrong, as a key the renderer turns
// into the user's language (src/i18n/reasons.*.ts) with the details filled in. The code says how a
// caller should react (NOT_FOUND, INVALID_STATE, ...); the reason says what to tell a person. The
// message stays English and technical, for logs and the CLI. A reason, once shipped, is never
// renamed: translations, tests and scripts key on it.
import type { PrintFailureName } from './print-failures.ts';
import { AppError, type ErrorCode } from './result.ts';

/** Every reason with the details it always carries (plain values: they are interpolated into words). */
export interface ReasonDetails {
  'print_job.not_found': { jobId: string };
  /** Only a failed job is retried. */
  'print_job.not_failed': { jobId: string; state: string };
  'print_job.not_cancellable': { jobId: string; state: string };
  'print_job.not_uncertain': { jobId: string; state: string };
  /** Only a printed (sent/confirmed) or cancelled job is reprinted. */
  'print_job.not_reprintable': { jobId: string; state: string };
  /** Another station or window changed the job between reading and writing it. */
  'print_job.changed': { jobId: string };
  'printer.not_found': { printerId: string };
  'printer.name_taken': { name: string };
  'reprint.reason_required': { minLength: number };
  'reprint.limit_reached': { reprints: number; limit: number };
  'reprint.not_allowed': { role: string };
  'order.not_found': { id: string };
  'shop.not_found': { shopId: string };
  /** The refresh token was refused: only the seller re-authorising helps. `reason`: the refresh's own error. */
  'shop.auth_expired': { shopId?: string; reason: string; [extra: string]: unknown };
  'shop.no_app_key': { shopId: string };
  'shop.no_app_secret': { shopId: string };
  /** Timed out, or the callback's state matched no authorisation in flight (shopId when the caller named one). */
  'shop.authorize_expired': { shopId?: string };
  'waybill_account.not_found': { accountId: string };

  /** A printer that has printed something keeps its history: it is paused, not removed. */
  'printer.has_history': { name: string; jobs: number };
  /** `doc`: pick_list | packing_slip. A label printer cannot print documents. */
  'printer.not_for_documents': { printerId: string; name: string; lang: string; doc: string };
  'printer.none_for_documents': { doc: string };
  'printer.not_folder': { name: string };
  'printer.folder_unreadable': { dir: string; error: string };
  /** The system's printer list could not be read (`why`: the tool's own words). */
  'printer.discovery_failed': { why: string };
  /** Orders with problems stop the whole batch unless the caller skips them; `problems` per order. */
  'print_batch.blocked': { blocked: number; orderId: string; problems: { id: string; problems: string[] }[] };
  'print_batch.not_found': { batchId: string };
  /** This process already runs the station's queue. */
  'print_queue.running_here': Record<string, never>;
  /** Another live process (pid) is sending this station's print jobs. */
  'print_queue.locked': { pid: number; lockFile: string };
  'print_queue.lock_failed': { lockFile: string };
  /**
   * A print job's stored last error (print_jobs.last_error_reason). `failure`: one of PRINT_FAILURES (print-failures.ts), stored by
   * electron/core/printing/failure.ts; `detail`: the technical cause (a system code, a spooler's or
   * component's own words), shown beneath.
   */
  'print_job.failed': { failure: PrintFailureName; detail?: string };
  /** The printer reported a problem before anything was sent: nothing went out. */
  'print_job.not_sent': { failure: PrintFailureName; detail?: string };
  /** The link broke after the bytes began to leave: the printer may have the label. */
  'print_job.maybe_delivered': { failure: PrintFailureName; detail?: string };
  /** Delivered, then the printer reported a problem: the label may or may not come out. */
  'print_job.problem_after_send': { failure: PrintFailureName; detail?: string };
  /** The station stopped while the job was being sent (`at`: when the queue found it). */
  'print_job.interrupted': { at: number };

  'order.no_line': { id: string; lineNo: number };
  /** The receiver is stored in clear: nothing to decrypt. */
  'order.receiver_in_clear': { id: string };
  'order.receiver_not_decrypted': { platformOrderId: string; retryable: false };
  /** An order number that several shops use: the caller has to name the order id. */
  'order.ambiguous_number': { ref: string };
  /** Some of the named orders no longer exist (`sample`: up to five of them). */
  'order.some_missing': { count: number; sample: string; missing: string[] };
  'package.not_found': { packageId: string };
  'package.not_at_station': { packageId: string };
  'package.seq_not_found': { orderRef: string; packageSeq: number };
  'reveal.daily_limit': { role: string; cap: number; used: number };

  'change_request.not_found': { id: string };
  /** `status`: the order's status, or 'shipped'. */
  'change_request.order_locked': { orderId: string; status: string };
  'change_request.quantity_too_small': { min: number };
  'change_request.quantity_too_large': { max: number };
  /** Yuan amounts, for the words. */
  'change_request.line_too_large': { yuan: number; maxYuan: number };
  'change_request.order_too_large': { yuan: number; maxYuan: number };
  /** `kind`: price | quantity. */
  'change_request.unchanged': { lineNo: number; kind: string };
  'change_request.pending_exists': { lineNo: number; kind: string; requestId: string };
  'change_request.already_decided': { id: string; state: string };
  'change_request.own_request': { requestId: string };
  'change_request.line_gone': { requestId: string; platformOrderId: string; lineNo: number };
  'change_request.line_changed': { requestId: string; lineNo: number; previous: number; now: number };

  'preset.too_many': { max: number };
  'preset.not_found': { id: string };
  'preset.name_taken': { name: string };
  'tag.name_taken': { name: string; tagId: string };
  'tag.not_found': { tagIds: string[] };
  'tag.add_and_remove': { tagIds: string[] };

  'waybill_account.not_pool': { name: string };
  'waybill_account.platform_unsupported': { platform: string };
  'waybill_pool.bad_prefix': { prefix: string };
  'waybill_pool.bad_range': { start: number; end: number };
  'waybill_pool.range_too_large': { max: number };
  'waybill_pool.width_too_small': { width: number; end: number };
  'waybill_pool.bad_number': { number: string };
  /** Nothing was added: `existing` of the numbers are the carrier's already. */
  'waybill_pool.numbers_taken': { existing: number; sample: string[] };
  /** Sizes in MB, already formatted. */
  'file.too_large': { fileName: string; size: string; max: string };
  /** Import files (electron/core/imports): `ext` is the extension given, or the whole name without one. */
  'import.unsupported_type': { fileName: string; ext: string };
  'import.empty': { fileName: string };
  /** More than `maxRows` rows under the header; `line` still has content. */
  'import.too_many_rows': { fileName: string; maxRows: number; line: number };
  /** Named .xlsx but not a zip (perhaps a renamed CSV). */
  'import.not_xlsx': { fileName: string };
  /** Named .csv/.txt but an .xlsx workbook inside. */
  'import.xlsx_named_csv': { fileName: string };
  /** An old .xls or an encrypted (OLE) workbook. */
  'import.old_xls': { fileName: string };
  'import.not_text': { fileName: string };
  /** `why`: the CSV parser's own words; `line` when it said where. */
  'import.bad_csv': { fileName: string; why: string; line?: number };
  /** A part of the workbook (`part`) that is not XML; `why`: the parser's words. */
  'import.bad_xml': { part: string; why: string };
  /** A part that declares (or inflates to) more than it may; sizes in MB, already formatted. */
  'import.part_too_large': { part: string; size: string; max: string };
  'import.part_inflates_too_large': { part: string; max: string };
  'import.no_sheet': Record<string, never>;
  'import.encrypted': Record<string, never>;
  /** The zip container is damaged (`why`: what was found broken). */
  'import.damaged': { why: string };
  'import.read_timeout': { fileName: string; seconds: number };
  'import.read_out_of_memory': { fileName: string; heapMb: number };
  /** The file has a header (or nothing) but no row under it. */
  'import.no_rows': { fileName: string };

  /** The station keeps no secret cipher (an in-memory database): credentials cannot be stored. */
  'shop.no_cipher': Record<string, never>;
  'shop.no_access_token': { shopId: string };
  'shop.no_oauth': { platform: string };
  'shop.no_adapter': { shopId: string; platform: string };
  'shop.settings_missing': { shopId: string; key: string };
  /** The seller declined the authorisation (`error`: the platform's error value). */
  'shop.authorize_refused': { error: string; code: string; retryable: false; throttled: false };
  /** The pasted callback URL belongs to another authorisation. */
  'shop.authorize_other_session': Record<string, never>;
  'shop.authorize_no_code': Record<string, never>;
  /** The stored shop credentials cannot be opened: each needs them entered again. */
  'shop_secrets.key_missing': { keyFile: string };
  'shop_secrets.bad_key_file': { keyFile: string };
  'shop_secrets.wrong_key': Record<string, never>;
  'shop_secrets.bad_format': Record<string, never>;
  'shop_secrets.other_cipher': { shopId: string; stored: string; current: string };
  'shop_secrets.not_this_shop': { shopId: string };

  /**
   * A platform answered with an error, or could not be reached. `code`: the platform's or the
   * transport's (NETWORK, HTTP_502, ...); `platformWords`: the platform's own words when it gave any.
   */
  'platform.error': { code: string | number; platformWords: string; retryable: boolean; throttled: boolean; [extra: string]: unknown };
  /** A push-back the platform refused (its own words). */
  'push.rejected': { platformWords: string };
  /** A memo update the platform refused because the order is shipped. */
  'push.already_shipped': Record<string, never>;
  /** The platform has the order shipped under another waybill number (`theirs` '?': it did not say which). */
  'push.waybill_mismatch': { theirs: string; ours: string };
  'method.not_allowed': { role: string; method: string };
  /** A station joined to a team hub acts only for a signed-in person. */
  'session.sign_in_needed': { method: string };
  /** Wrong password or PIN; after `attemptsLeft` more the person is locked out here for a while. */
  'session.bad_credentials': { attemptsLeft: number };
  /** Too many wrong tries at this station: sign-in for this person waits until `until`. */
  'session.locked': { name: string; until: number; seconds: number };
  /** The hub is out of reach and this person never signed in at this station: nothing to check against. */
  'session.offline_unknown': { name: string };
  /** The person is not one of the team's (as the hub or this station knows it). */
  'session.unknown_person': { userId: string };
  /** Signing in is for a station joined to a team hub. */
  'session.not_joined': Record<string, never>;
  /** The signed-in person's shop scope leaves these orders out. */
  'order.out_of_scope': { ids: string[]; count: number };
  /** The signed-in person's shop scope leaves these shops out. */
  'shop.out_of_scope': { shopIds: string[]; count: number };
  /** A person scoped to several shops runs a shop command without naming one of them. */
  'shop.scope_needs_shop': { shops: string[] };
  /** Pausing a paused shop, resuming an active one. */
  'shop.already_in_state': { shopId: string; state: string };
  /** A shop whose authorisation expired is not resumed: it is authorised again. */
  'shop.resume_needs_authorisation': { shopId: string };
  /** JD receivers are decrypted only by JD's own SDK: JD orders print through JD's own flow. */
  'order.jd_receiver_encrypted': { platform: 'jd' };
  /** `code`: the 商家编码 asked for. */
  'sku.not_found': { code: string };
  'sku.code_taken': { code: string };
  /** The barcode already names another SKU (`code`). */
  'sku.barcode_taken': { barcode: string; code: string };
  'warehouse.not_found': { code: string };
  'warehouse.code_taken': { code: string };
  /** The movement would leave on hand below zero: `onHand` now, `delta` asked for. */
  'stock.insufficient': { sku: string; warehouse: string; onHand: number; delta: number };
  'stock.same_warehouse': { warehouse: string };
  /** 退货入库 of an order line that maps to no local SKU: there is nothing to put back (map it first). */
  'stock.return_unmapped': { id: string; lineNo: number };
  /** More units back than the line had: `quantity` of the line's `ordered`, `returned` already. */
  'stock.return_too_many': { id: string; lineNo: number; ordered: number; returned: number; quantity: number };
  /** The line never left a warehouse this station knows of: say which warehouse the units go back to. */
  'stock.return_needs_warehouse': { id: string; lineNo: number };
  /** The shop has no such listed platform SKU (pull its listing first). */
  'mapping.not_found': { shopId: string; platformProductId: string; platformSkuId: string };
  /** A bundle holds plain SKUs: `sku` is inside bundle `bundle`, or is one itself (then both name it). */
  'bundle.nested': { sku: string; bundle: string };
  'bundle.contains_itself': { sku: string };
  'bundle.component_twice': { sku: string };
  'bundle.not_found': { sku: string };
  'task.not_found': { id: string };
  /** Handing a task to someone (creating one for another person, or changing its assignee) is the desk's. */
  'task.assign_forbidden': { role: string };
  /** Only its assignee or the desk moves a task. */
  'task.not_yours': { id: string; assignee: string };
  /** The assignee is no user of this station's team. */
  'task.unknown_user': { userId: string };
  'stock_movement.not_found': { id: string };
  /** A movement is reversed once: `correctionId` did it. */
  'stock_movement.already_corrected': { id: string; correctionId: string };
  /** A correction is not corrected again: record a new movement instead. */
  'stock_movement.is_correction': { id: string };
  /** The platform refused a stock figure, in its words; lockedByPromotion: an activity holds the SKU's stock. */
  'stock_push.refused': { platformWords: string; lockedByPromotion: boolean };
  /** A change by delta needs the platform's figure first, and its listing does not show this SKU (off the shelf?). */
  'stock_push.platform_figure_unknown': { platformProductId: string; platformSkuId: string };
  /** After a change by delta the platform shows another figure (`shown`; -1: none): retried from a fresh read. */
  'stock_push.verify_mismatch': { expected: number; shown: number };
  'stock_push.no_stock_write': { platform: string };
}

export type Reason = keyof ReasonDetails;

/** The coarse code each reason travels under (callers that only know codes keep working). */
export const REASONS = {
  'print_job.not_found': 'NOT_FOUND',
  'print_job.not_failed': 'INVALID_STATE',
  'print_job.not_cancellable': 'INVALID_STATE',
  'print_job.not_uncertain': 'INVALID_STATE',
  'print_job.not_reprintable': 'INVALID_STATE',
  'print_job.changed': 'CONFLICT',
  'printer.not_found': 'NOT_FOUND',
  'printer.name_taken': 'CONFLICT',
  'reprint.reason_required': 'VALIDATION_FAILED',
  'reprint.limit_reached': 'FORBIDDEN',
  'reprint.not_allowed': 'FORBIDDEN',
  'order.not_found': 'NOT_FOUND',
  'shop.not_found': 'NOT_FOUND',
  'shop.auth_expired': 'SHOP_AUTH_EXPIRED',
  'shop.no_app_key': 'INVALID_STATE',
  'shop.no_app_secret': 'INVALID_STATE',
  'shop.authorize_expired': 'INVALID_STATE',
  'waybill_account.not_found': 'NOT_FOUND',
  'printer.has_history': 'CONFLICT',
  'printer.not_for_documents': 'VALIDATION_FAILED',
  'printer.none_for_documents': 'INVALID_STATE',
  'printer.not_folder': 'INVALID_STATE',
  'printer.folder_unreadable': 'INVALID_STATE',
  'printer.discovery_failed': 'INVALID_STATE',
  'print_batch.blocked': 'INVALID_STATE',
  'print_batch.not_found': 'NOT_FOUND',
  'print_queue.running_here': 'INVALID_STATE',
  'print_queue.locked': 'INVALID_STATE',
  'print_queue.lock_failed': 'INVALID_STATE',
  'print_job.failed': 'INVALID_STATE',
  'print_job.not_sent': 'INVALID_STATE',
  'print_job.maybe_delivered': 'INVALID_STATE',
  'print_job.problem_after_send': 'INVALID_STATE',
  'print_job.interrupted': 'INVALID_STATE',
  'order.no_line': 'NOT_FOUND',
  'order.receiver_in_clear': 'INVALID_STATE',
  'order.receiver_not_decrypted': 'PLATFORM_ERROR',
  'order.ambiguous_number': 'CONFLICT',
  'order.some_missing': 'NOT_FOUND',
  'package.not_found': 'NOT_FOUND',
  'package.not_at_station': 'NOT_FOUND',
  'package.seq_not_found': 'NOT_FOUND',
  'reveal.daily_limit': 'FORBIDDEN',
  'change_request.not_found': 'NOT_FOUND',
  'change_request.order_locked': 'INVALID_STATE',
  'change_request.quantity_too_small': 'VALIDATION_FAILED',
  'change_request.quantity_too_large': 'VALIDATION_FAILED',
  'change_request.line_too_large': 'VALIDATION_FAILED',
  'change_request.order_too_large': 'VALIDATION_FAILED',
  'change_request.unchanged': 'VALIDATION_FAILED',
  'change_request.pending_exists': 'CONFLICT',
  'change_request.already_decided': 'INVALID_STATE',
  'change_request.own_request': 'FORBIDDEN',
  'change_request.line_gone': 'NOT_FOUND',
  'change_request.line_changed': 'CONFLICT',
  'preset.too_many': 'VALIDATION_FAILED',
  'preset.not_found': 'NOT_FOUND',
  'preset.name_taken': 'CONFLICT',
  'tag.name_taken': 'CONFLICT',
  'tag.not_found': 'NOT_FOUND',
  'tag.add_and_remove': 'VALIDATION_FAILED',
  'waybill_account.not_pool': 'INVALID_STATE',
  'waybill_account.platform_unsupported': 'INVALID_STATE',
  'waybill_pool.bad_prefix': 'VALIDATION_FAILED',
  'waybill_pool.bad_range': 'VALIDATION_FAILED',
  'waybill_pool.range_too_large': 'VALIDATION_FAILED',
  'waybill_pool.width_too_small': 'VALIDATION_FAILED',
  'waybill_pool.bad_number': 'VALIDATION_FAILED',
  'waybill_pool.numbers_taken': 'CONFLICT',
  'file.too_large': 'VALIDATION_FAILED',
  'import.unsupported_type': 'VALIDATION_FAILED',
  'import.empty': 'VALIDATION_FAILED',
  'import.too_many_rows': 'VALIDATION_FAILED',
  'import.not_xlsx': 'VALIDATION_FAILED',
  'import.xlsx_named_csv': 'VALIDATION_FAILED',
  'import.old_xls': 'VALIDATION_FAILED',
  'import.not_text': 'VALIDATION_FAILED',
  'import.bad_csv': 'VALIDATION_FAILED',
  'import.bad_xml': 'VALIDATION_FAILED',
  'import.part_too_large': 'VALIDATION_FAILED',
  'import.part_inflates_too_large': 'VALIDATION_FAILED',
  'import.no_sheet': 'VALIDATION_FAILED',
  'import.encrypted': 'VALIDATION_FAILED',
  'import.damaged': 'VALIDATION_FAILED',
  'import.read_timeout': 'VALIDATION_FAILED',
  'import.read_out_of_memory': 'VALIDATION_FAILED',
  'import.no_rows': 'VALIDATION_FAILED',
  'shop.no_cipher': 'INVALID_STATE',
  'shop.no_access_token': 'INVALID_STATE',
  'shop.no_oauth': 'INVALID_STATE',
  'shop.no_adapter': 'INVALID_STATE',
  'shop.settings_missing': 'INVALID_STATE',
  'shop.authorize_refused': 'PLATFORM_ERROR',
  'shop.authorize_other_session': 'VALIDATION_FAILED',
  'shop.authorize_no_code': 'VALIDATION_FAILED',
  'shop_secrets.key_missing': 'INVALID_STATE',
  'shop_secrets.bad_key_file': 'INVALID_STATE',
  'shop_secrets.wrong_key': 'INVALID_STATE',
  'shop_secrets.bad_format': 'INVALID_STATE',
  'shop_secrets.other_cipher': 'INVALID_STATE',
  'shop_secrets.not_this_shop': 'INVALID_STATE',
  'platform.error': 'PLATFORM_ERROR',
  'push.rejected': 'PLATFORM_ERROR',
  'push.already_shipped': 'CONFLICT',
  'push.waybill_mismatch': 'CONFLICT',
  'method.not_allowed': 'FORBIDDEN',
  'session.sign_in_needed': 'UNAUTHENTICATED',
  'session.bad_credentials': 'UNAUTHENTICATED',
  'session.locked': 'UNAUTHENTICATED',
  'session.offline_unknown': 'UNAUTHENTICATED',
  'session.unknown_person': 'NOT_FOUND',
  'session.not_joined': 'INVALID_STATE',
  'order.out_of_scope': 'FORBIDDEN',
  'shop.out_of_scope': 'FORBIDDEN',
  'shop.scope_needs_shop': 'FORBIDDEN',
  'shop.already_in_state': 'INVALID_STATE',
  'shop.resume_needs_authorisation': 'INVALID_STATE',
  'order.jd_receiver_encrypted': 'INVALID_STATE',
  'sku.not_found': 'NOT_FOUND',
  'sku.code_taken': 'CONFLICT',
  'sku.barcode_taken': 'CONFLICT',
  'warehouse.not_found': 'NOT_FOUND',
  'warehouse.code_taken': 'CONFLICT',
  'stock.insufficient': 'INVALID_STATE',
  'stock.same_warehouse': 'VALIDATION_FAILED',
  'stock.return_unmapped': 'INVALID_STATE',
  'stock.return_too_many': 'INVALID_STATE',
  'stock.return_needs_warehouse': 'VALIDATION_FAILED',
  'mapping.not_found': 'NOT_FOUND',
  'bundle.nested': 'VALIDATION_FAILED',
  'bundle.contains_itself': 'VALIDATION_FAILED',
  'bundle.component_twice': 'VALIDATION_FAILED',
  'bundle.not_found': 'NOT_FOUND',
  'task.not_found': 'NOT_FOUND',
  'task.assign_forbidden': 'FORBIDDEN',
  'task.not_yours': 'FORBIDDEN',
  'task.unknown_user': 'NOT_FOUND',
  'stock_movement.not_found': 'NOT_FOUND',
  'stock_movement.already_corrected': 'CONFLICT',
  'stock_movement.is_correction': 'INVALID_STATE',
  'stock_push.refused': 'PLATFORM_ERROR',
  'stock_push.platform_figure_unknown': 'PLATFORM_ERROR',
  'stock_push.verify_mismatch': 'PLATFORM_ERROR',
  'stock_push.no_stock_write': 'INVALID_STATE',
} as const satisfies { [R in Reason]: ErrorCode };

export const REASON_NAMES = Object.keys(REASONS) as Reason[];

export function isReason(v: unknown): v is Reason {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(REASONS, v);
}

/** An AppError that names its reason: the code comes from the registry, the details are typed by it. */
export function reasonError<R extends Reason>(reason: R, details: ReasonDetails[R], message: string): AppError {
  return new AppError(REASONS[reason], message, details, reason);
}
