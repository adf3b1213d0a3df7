// The editor of one carrier's label: follow the default or not, template size, fields shown, custom
// text, and the movable blocks' offsets in millimetres. Changes go to the draft at once (the preview follows).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LABEL_BLOCKS, LABEL_OPTIONAL_FIELDS, LABEL_TEMPLATE_IDS, MAX_CUSTOM_TEXT, type LabelBlock } from '../../../electron/shared/label-settings.ts';
import { isCarrier, parseMm, withOffset, type LabelDraft } from './label-form.ts';

const FIELD_KEYS = {
  sender: 'labels.fieldSender',
  itemSummary: 'labels.fieldItemSummary',
  buyerMessage: 'labels.fieldBuyerMessage',
  customText: 'labels.fieldCustomText',
} as const;
const BLOCK_KEYS = {
  sortCode: 'labels.blockSortCode',
  barcode: 'labels.blockBarcode',
  receiver: 'labels.blockReceiver',
  sender: 'labels.blockSender',
  itemSummary: 'labels.blockItemSummary',
  buyerMessage: 'labels.blockBuyerMessage',
  customText: 'labels.blockCustomText',
} as const;
const TEMPLATE_KEYS = { '76x130': 'labels.template76x130', '100x150': 'labels.template100x150', '100x180': 'labels.template100x180' } as const;

export function TemplateEditor({ draft, readOnly, onChange }: { draft: LabelDraft; readOnly: boolean; onChange(d: LabelDraft): void }) {
  const { t } = useTranslation();
  const s = draft.settings;
  const locked = readOnly || draft.followsDefault;
  const set = (patch: Partial<typeof s>) => onChange({ ...draft, settings: { ...s, ...patch } });
  return (
    <div className="labels-form" data-testid="labels-editor">
      {isCarrier(draft.target) && (
        <label className="labels-check" title={t('labels.followDefaultHint')}>
          <input type="checkbox" data-testid="labels-follow-default" checked={draft.followsDefault} disabled={readOnly} onChange={(e) => onChange({ ...draft, followsDefault: e.target.checked })} />
          {t('labels.followDefault')}
        </label>
      )}
      <fieldset className="form-fieldset" disabled={locked}>
        <legend className="form-field-label">{t('labels.template')}</legend>
        {LABEL_TEMPLATE_IDS.map((id) => (
          <label key={id} className="labels-check">
            <input type="radio" name="label-template" data-testid={`labels-template-${id}`} checked={s.template === id} onChange={() => set({ template: id })} />
            {t(TEMPLATE_KEYS[id])}
          </label>
        ))}
      </fieldset>
      <fieldset className="form-fieldset" disabled={locked}>
        <legend className="form-field-label">{t('labels.fields')}</legend>
        {LABEL_OPTIONAL_FIELDS.map((f) => (
          <label key={f} className="labels-check">
            <input type="checkbox" data-testid={`labels-show-${f}`} checked={s.show[f]} onChange={(e) => set({ show: { ...s.show, [f]: e.target.checked } })} />
            {t(FIELD_KEYS[f])}
          </label>
        ))}
      </fieldset>
      <label className="form-field">
        <span className="form-field-label">{t('labels.customText')}</span>
        <input
          data-testid="labels-custom-text"
          value={s.customText}
          maxLength={MAX_CUSTOM_TEXT}
          disabled={locked || !s.show.customText}
          placeholder={t('labels.customTextHint')}
          onChange={(e) => set({ customText: e.target.value })}
        />
      </label>
      <fieldset className="form-fieldset" disabled={locked}>
        <legend className="form-field-label" title={t('labels.offsetsHint')}>
          {t('labels.offsets')}
        </legend>
        <table className="labels-offsets">
          <thead>
            <tr>
              <th />
              <th>{t('labels.offsetX')}</th>
              <th>{t('labels.offsetY')}</th>
            </tr>
          </thead>
          <tbody>
            {LABEL_BLOCKS.map((b) => (
              <tr key={b}>
                <th scope="row">{t(BLOCK_KEYS[b])}</th>
                {(['x', 'y'] as const).map((axis) => (
                  <td key={axis}>
                    <MmInput block={b} axis={axis} value={s.offsets[b]?.[axis] ?? 0} onValue={(v) => onChange({ ...draft, settings: withOffset(s, b, axis, v) })} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">{t('labels.offsetsHint')}</p>
      </fieldset>
    </div>
  );
}

/** A millimetre box: keeps what is typed (e.g. "-" or "1.") and hands on only valid numbers. */
function MmInput({ block, axis, value, onValue }: { block: LabelBlock; axis: 'x' | 'y'; value: number; onValue(v: number): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value === 0 ? '' : String(value));
  const parsed = parseMm(text);
  // A reset or reload from outside replaces the text, unless it already means the same number.
  useEffect(() => {
    setText((cur) => (parseMm(cur) === value ? cur : value === 0 ? '' : String(value)));
  }, [value]);
  return (
    <input
      className={`labels-mm${parsed === null ? ' invalid' : ''}`}
      data-testid={`labels-offset-${block}-${axis}`}
      inputMode="decimal"
      value={text}
      placeholder="0"
      aria-invalid={parsed === null}
      title={parsed === null ? t('labels.invalidMm') : undefined}
      onChange={(e) => {
        setText(e.target.value);
        const v = parseMm(e.target.value);
        if (v !== null) onValue(v);
      }}
    />
  );
}
