// The labels part of the API (electron/shared/api/labels.ts): label template settings (面单模板)
// and previews rendered as the printer gets them.
import type { LabelsMethod } from '../../shared/contract.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import { previewLabel, previewLabelPdf } from './preview.ts';
import { getLabelSettings, updateLabelSettings } from './settings.ts';

export function labelsHandlers(d: DomainDeps): Pick<Handlers, LabelsMethod> {
  const { db, ctx } = d;
  return {
    'labels.settings': () => getLabelSettings(db),
    'labels.updateSettings': (input, actor) => updateLabelSettings(ctx(actor), input),
    'labels.preview': (input) => previewLabel(db, input),
    'labels.previewPdf': (input) => previewLabelPdf(db, input),
  };
}
