// The filter bar: every OrderFilter field except the tab and the search box, plus clear-all.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderCounts, OrderFilter } from '../../../electron/shared/contract.ts';
import { ABNORMAL_REASONS, ORDER_TYPES, PLATFORMS, SELLER_FLAGS, type AbnormalReason, type Platform } from '../../../electron/shared/model.ts';
import { FlagMark } from '../../components/FlagMark.tsx';
import { MultiSelect } from '../../components/MultiSelect.tsx';
import { TagChip } from '../../components/TagChip.tsx';
import { DateRangeFilter } from './DateRangeFilter.tsx';
import { useReference } from './reference-store.ts';
import { useOrders } from './store.ts';

type Tri = 'any' | 'yes' | 'no';
const triOf = (v: boolean | undefined): Tri => (v === undefined ? 'any' : v ? 'yes' : 'no');
const boolOf = (v: string): boolean | undefined => (v === 'yes' ? true : v === 'no' ? false : undefined);

function SkuFilter({ value, onChange, placeholder }: { value: string; onChange(v: string | undefined): void; placeholder: string }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => onChange(text.trim() || undefined), 350);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return <input className="sku-filter" data-testid="filter-sku" value={text} placeholder={placeholder} onChange={(e) => setText(e.target.value)} />;
}

export function FilterBar({ counts }: { counts: OrderCounts | null }) {
  const { t } = useTranslation();
  const filter = useOrders((s) => s.filter);
  const setFilter = useOrders((s) => s.setFilter);
  const clearFilters = useOrders((s) => s.clearFilters);
  const { shops, tags, provinces } = useReference();
  const patch = (p: Partial<OrderFilter>) => setFilter(p);
  const common = { clearLabel: t('filter.clearThis'), searchPlaceholder: t('filter.find') };
  const active = Object.keys(filter).some((k) => k !== 'queue');

  return (
    <div className="filter-bar">
      <MultiSelect
        {...common}
        label={t('filter.shop')}
        testId="filter-shop"
        searchable
        options={shops.map((s) => ({ value: s.id, text: s.name, label: <>{s.name}<span className="muted">{t(`platform.${s.platform}`)}</span></> }))}
        value={filter.shopIds ?? []}
        onChange={(v) => patch({ shopIds: v })}
      />
      <MultiSelect<Platform>
        {...common}
        label={t('filter.platform')}
        testId="filter-platform"
        options={PLATFORMS.map((p) => ({ value: p, text: t(`platform.${p}`), label: t(`platform.${p}`) }))}
        value={filter.platforms ?? []}
        onChange={(v) => patch({ platforms: v })}
      />
      <DateRangeFilter
        label={t('filter.created')}
        testId="filter-created"
        from={filter.createdFrom}
        to={filter.createdTo}
        onChange={(createdFrom, createdTo) => patch({ createdFrom, createdTo })}
      />
      <DateRangeFilter
        label={t('filter.paid')}
        testId="filter-paid"
        from={filter.paidFrom}
        to={filter.paidTo}
        onChange={(paidFrom, paidTo) => patch({ paidFrom, paidTo })}
      />
      <MultiSelect
        {...common}
        label={t('filter.province')}
        testId="filter-province"
        searchable
        options={provinces.map((p) => ({ value: p, text: p, label: p }))}
        value={filter.provinces ?? []}
        onChange={(v) => patch({ provinces: v })}
      />
      <MultiSelect<number>
        {...common}
        label={t('filter.flag')}
        testId="filter-flag"
        options={SELLER_FLAGS.map((f) => ({ value: f, text: t(`flag.${f}`), label: <><FlagMark flag={f} />{t(`flag.${f}`)}</> }))}
        value={filter.sellerFlags ?? []}
        onChange={(v) => patch({ sellerFlags: v })}
      />
      <MultiSelect
        {...common}
        label={t('filter.tag')}
        testId="filter-tag"
        searchable
        options={tags.map((tag) => ({ value: tag.id, text: tag.name, label: <TagChip tag={tag} /> }))}
        value={filter.tagIds ?? []}
        onChange={(v) => patch({ tagIds: v })}
      />
      <MultiSelect<AbnormalReason>
        {...common}
        label={t('filter.abnormal')}
        testId="filter-abnormal"
        options={ABNORMAL_REASONS.map((r) => ({ value: r, text: t(`abnormal.${r}`), label: t(`abnormal.${r}`), count: counts?.abnormal[r] }))}
        value={filter.abnormal ?? []}
        onChange={(v) => patch({ abnormal: v })}
      />
      <select
        className={filter.hasBuyerMessage !== undefined ? 'active' : ''}
        data-testid="filter-buyer-message"
        value={triOf(filter.hasBuyerMessage)}
        onChange={(e) => patch({ hasBuyerMessage: boolOf(e.target.value) })}
        aria-label={t('filter.buyerMessage')}
      >
        <option value="any">{t('filter.buyerMessage')}</option>
        <option value="yes">{t('filter.buyerMessageYes')}</option>
        <option value="no">{t('filter.buyerMessageNo')}</option>
      </select>
      <select
        className={filter.hasSellerMemo !== undefined ? 'active' : ''}
        data-testid="filter-seller-memo"
        value={triOf(filter.hasSellerMemo)}
        onChange={(e) => patch({ hasSellerMemo: boolOf(e.target.value) })}
        aria-label={t('filter.sellerMemo')}
      >
        <option value="any">{t('filter.sellerMemo')}</option>
        <option value="yes">{t('filter.sellerMemoYes')}</option>
        <option value="no">{t('filter.sellerMemoNo')}</option>
      </select>
      <select
        className={filter.orderType !== undefined ? 'active' : ''}
        data-testid="filter-order-type"
        value={filter.orderType ?? ''}
        onChange={(e) => patch({ orderType: (ORDER_TYPES as readonly string[]).includes(e.target.value) ? (e.target.value as OrderFilter['orderType']) : undefined })}
        aria-label={t('filter.orderType')}
      >
        <option value="">{t('filter.orderType')}</option>
        {ORDER_TYPES.map((o) => (
          <option key={o} value={o}>
            {t(`orderType.${o}`)}
          </option>
        ))}
      </select>
      <SkuFilter value={filter.sku ?? ''} onChange={(sku) => patch({ sku })} placeholder={t('filter.sku')} />
      <select
        className={filter.unread !== undefined ? 'active' : ''}
        data-testid="filter-unread"
        value={triOf(filter.unread)}
        onChange={(e) => patch({ unread: boolOf(e.target.value) })}
        aria-label={t('filter.unread')}
      >
        <option value="any">{t('filter.unread')}</option>
        <option value="yes">{t('filter.unreadYes')}</option>
        <option value="no">{t('filter.unreadNo')}</option>
      </select>
      <button type="button" className="link" data-testid="filter-clear" disabled={!active} onClick={clearFilters}>
        {t('filter.clearAll')}
      </button>
    </div>
  );
}
