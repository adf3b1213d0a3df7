// 中文 / English switch in the header; the choice persists.
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n/index.ts';

export function LanguageSwitch() {
  const { i18n } = useTranslation();
  const current = (i18n.resolvedLanguage ?? i18n.language) as Language;
  const next: Language = current === 'zh-CN' ? 'en-US' : 'zh-CN';
  return (
    <button type="button" className="header-button" data-testid="lang-switch" data-lang={current} onClick={() => setLanguage(next)} title={next === 'en-US' ? 'Switch to English' : '切换到中文'}>
      {next === 'en-US' ? 'English' : '中文'}
    </button>
  );
}
