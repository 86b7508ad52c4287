import { GlobalOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { LOCALE_NAMES, LOCALES, setLocale, useLocale } from '../i18n/i18n.ts';

/** 中文 / English; the choice is remembered in this browser. */
export function LanguageSwitch({ dark = false }: { dark?: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Dropdown
      menu={{
        selectable: true,
        selectedKeys: [locale],
        items: LOCALES.map((l) => ({ key: l, label: LOCALE_NAMES[l], lang: l })),
        onClick: ({ key }) => void setLocale(key as (typeof LOCALES)[number]),
      }}
    >
      <Button
        type="text"
        icon={<GlobalOutlined />}
        aria-label={t('language')}
        data-testid="language-switch"
        style={dark ? { color: '#fff' } : undefined}
      >
        {LOCALE_NAMES[locale]}
      </Button>
    </Dropdown>
  );
}
