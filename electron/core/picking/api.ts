// The documents part of the API (electron/shared/api/documents.ts): pick lists (拣货单) and packing
// slips (发货单), rendered as files or queued on a receipt/PDF printer.
import type { DocumentsMethod } from '../../shared/contract.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import { queueDoc, renderDoc } from './render.ts';

export function documentsHandlers(d: DomainDeps): Pick<Handlers, DocumentsMethod> {
  const { db, ctx } = d;
  return {
    'pickList.render': (input) => renderDoc(db, 'pick_list', input, d.now()),
    'packingSlips.render': (input) => renderDoc(db, 'packing_slip', input, d.now()),
    'print.pickList': (input, actor) => queueDoc(ctx(actor), 'pick_list', input),
    'print.packingSlips': (input, actor) => queueDoc(ctx(actor), 'packing_slip', input),
  };
}
