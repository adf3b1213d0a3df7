// The words of a stock alert's desktop notification, in the product's two languages, shared by the
// two faces that show one (the Electron main process, the web page): the core words them in the
// claim (alerts.claimNotifications), so both say the same thing and main loads no words of its own.
import type { AlertNotice, NoticeText } from './api/stock-alerts.ts';

export type NoticeLang = 'zh' | 'en';

const KIND = {
  zh: { low: '库存偏低', out: '缺货', oversold: '超卖', push_failed: '库存推送失败' },
  en: { low: 'Low stock', out: 'Out of stock', oversold: 'Oversold', push_failed: 'Stock push failed' },
} as const;

const num = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : String(Math.round(n * 10) / 10));

/** One alert's notification: the kind and SKU as the title, the figure that raised it as the body. */
export function noticeText(n: AlertNotice, lang: NoticeLang): { title: string; body: string } {
  const d = n.details;
  const title = `${KIND[lang][n.kind]} · ${n.sku}`;
  const zh = lang === 'zh';
  let body: string;
  switch (n.kind) {
    case 'low':
      body =
        d.lowBy?.includes('cover') && !d.lowBy.includes('threshold')
          ? zh
            ? `可用 ${num(d.available)}，约 ${num(d.daysOfCover)} 天售罄（到货需 ${num(d.leadTimeDays)} 天）`
            : `${num(d.available)} available, about ${num(d.daysOfCover)} days of sales (delivery takes ${num(d.leadTimeDays)})`
          : zh
            ? `可用 ${num(d.available)}，不高于预警库存 ${num(d.threshold)}`
            : `${num(d.available)} available, at or below the threshold of ${num(d.threshold)}`;
      break;
    case 'out':
      body = zh ? `可用 ${num(d.available)}${d.waiting ? '，有订单在等货' : ''}` : `${num(d.available)} available${d.waiting ? ', orders are waiting' : ''}`;
      break;
    case 'oversold':
      body = zh
        ? `${n.warehouse ?? ''} 在库 ${num(d.onHand)}，已占用 ${num(d.reserved)}`
        : `${n.warehouse ?? ''}: ${num(d.onHand)} on hand, ${num(d.reserved)} held`;
      break;
    case 'push_failed':
      body = `${n.shopName ?? ''}${zh ? '：' : ': '}${d.error ?? d.errorCode ?? (zh ? '平台未接受' : 'the platform did not accept it')}`;
      break;
  }
  return { title, body: `${n.title} — ${body}` };
}

/** What a face shows for one claim: one notification per alert, or one summary when there are more than it was handed. */
export function claimTexts(claim: { notices: AlertNotice[]; total: number }, lang: NoticeLang): NoticeText[] {
  if (claim.total === 0) return [];
  if (claim.total > claim.notices.length) {
    const skus = claim.notices.map((n) => n.sku).join(lang === 'zh' ? '、' : ', ');
    return [
      {
        title: lang === 'zh' ? `${claim.total} 条新的库存预警` : `${claim.total} new stock alerts`,
        body: lang === 'zh' ? `${skus} 等，请在 库存 › 预警 查看` : `${skus} and more: see Stock › Alerts`,
        alertId: null,
      },
    ];
  }
  return claim.notices.map((n) => ({ ...noticeText(n, lang), alertId: n.id }));
}
