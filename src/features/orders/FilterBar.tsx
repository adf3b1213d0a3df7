// The filter bar: every OrderFilter field except the tab and the search box, saved presets and
// clear-all — in one row of compact dropdowns at a 1366 px packing-station screen.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ORDER_STOCK_STATES, type OrderCounts, type OrderFilter, type OrderStockState } from '../../../electron/shared/contract.ts';
import { ABNORMAL_REASONS, ORDER_TYPES, PLATFORMS, SELLER_FLAGS, type AbnormalReason, type OrderType, type Platform } from '../../../electron/shared/model.ts';
import { FlagMark } from '../../components/FlagMark.tsx';
import { MultiSelect } from '../../components/MultiSelect.tsx';
import { Select } from '../../components/Select.tsx';
import { TagChip } from '../../components/TagChip.tsx';
import { DateRangeFilter } from './DateRangeFilter.tsx';
import { PresetMenu } from './PresetMenu.tsx';
import { useReference } from './reference-store.ts';
import { useOrders } from './store.ts';

type Tri = '' | 'yes' | 'no';
const triOf = (v: boolean | undefined): Tri => (v === undefined ? '' : v ? 'yes' : 'no');
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

export function FilterBar({ counts, shopCounts }: { counts: OrderCounts | null; shopCounts: Record<string, number> | null }) {
  const { t } = useTranslation();
  const filter = useOrders((s) => s.filter);
  const setFilter = useOrders((s) => s.setFilter);
  const clearFilters = useOrders((s) => s.clearFilters);
  const dateShortcuts = useOrders((s) => s.dateShortcuts);
  const setDateRange = useOrders((s) => s.setDateRange);
  const { shops, tags, provinces } = useReference();
  const patch = (p: Partial<OrderFilter>) => setFilter(p);
  const common = { clearLabel: t('filter.clearThis'), searchPlaceholder: t('filter.find') };
  const active = Object.keys(filter).some((k) => k !== 'queue');

  return (
    <div className="filter-bar">
      <PresetMenu />
      <MultiSelect
        {...common}
        label={t('filter.shop')}
        testId="filter-shop"
        searchable
        options={shops.map((s) => ({
          value: s.id,
          text: s.name,
          label: <>{s.name}<span className="muted">{t(`platform.${s.platform}`)}</span></>,
          // Before the first answer, no number rather than a wrong 0.
          ...(shopCounts ? { count: shopCounts[s.id] ?? 0 } : {}),
        }))}
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
        shortcut={dateShortcuts.created}
        onDays={(days) => setDateRange('created', days)}
        onShortcut={(s) => setDateRange('created', s)}
      />
      <DateRangeFilter
        label={t('filter.paid')}
        testId="filter-paid"
        from={filter.paidFrom}
        to={filter.paidTo}
        shortcut={dateShortcuts.paid}
        onDays={(days) => setDateRange('paid', days)}
        onShortcut={(s) => setDateRange('paid', s)}
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
      <Select
        label={t('filter.buyerMessage')}
        testId="filter-buyer-message"
        anyLabel={t('filter.any')}
        value={triOf(filter.hasBuyerMessage)}
        options={[
          { value: 'yes', label: t('filter.buyerMessageYes') },
          { value: 'no', label: t('filter.buyerMessageNo') },
        ]}
        onChange={(v) => patch({ hasBuyerMessage: boolOf(v) })}
      />
      <Select
        label={t('filter.sellerMemo')}
        testId="filter-seller-memo"
        anyLabel={t('filter.any')}
        value={triOf(filter.hasSellerMemo)}
        options={[
          { value: 'yes', label: t('filter.sellerMemoYes') },
          { value: 'no', label: t('filter.sellerMemoNo') },
        ]}
        onChange={(v) => patch({ hasSellerMemo: boolOf(v) })}
      />
      <Select<OrderType>
        label={t('filter.orderType')}
        testId="filter-order-type"
        anyLabel={t('filter.any')}
        value={filter.orderType ?? ''}
        options={ORDER_TYPES.map((o) => ({ value: o, label: t(`orderType.${o}`) }))}
        onChange={(v) => patch({ orderType: v === '' ? undefined : v })}
      />
      <SkuFilter value={filter.sku ?? ''} onChange={(sku) => patch({ sku })} placeholder={t('filter.sku')} />
      <Select
        label={t('filter.unread')}
        testId="filter-unread"
        anyLabel={t('filter.any')}
        value={triOf(filter.unread)}
        options={[
          { value: 'yes', label: t('filter.unreadYes') },
          { value: 'no', label: t('filter.unreadNo') },
        ]}
        onChange={(v) => patch({ unread: boolOf(v) })}
      />
      <Select<OrderStockState>
        label={t('orderStock.filter')}
        testId="filter-stock"
        anyLabel={t('filter.any')}
        value={filter.stock ?? ''}
        options={ORDER_STOCK_STATES.map((s) => ({ value: s, label: t(`orderStock.${s}`) }))}
        onChange={(v) => patch({ stock: v === '' ? undefined : v })}
      />
      <button type="button" className="link" data-testid="filter-clear" disabled={!active} onClick={clearFilters}>
        {t('filter.clearAll')}
      </button>
    </div>
  );
}
