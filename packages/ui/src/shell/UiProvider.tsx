import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import type { Locale as AntLocale } from 'antd/es/locale/index.js';
import enUSModule from 'antd/locale/en_US.js';
import zhCNModule from 'antd/locale/zh_CN.js';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn.js';
import { type ReactNode, useEffect, useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { ApiError } from '../api/errors.ts';
import { i18n, type Locale, useLocale } from '../i18n/i18n.ts';
import { crmTheme } from './theme.ts';
import './shell.css';

/** antd's locale files are CommonJS: typed as the module under NodeNext, the default export once bundled. */
const unwrap = (mod: unknown): AntLocale => (mod as { default?: AntLocale }).default ?? (mod as AntLocale);
const ANTD_LOCALES: Record<Locale, AntLocale> = { en: unwrap(enUSModule), 'zh-CN': unwrap(zhCNModule) };
const DAYJS_LOCALES: Record<Locale, string> = { en: 'en', 'zh-CN': 'zh-cn' };

/** The query cache both apps use (retries, freshness); an app may make it first to start requests early. */
export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // a 4xx will not get better by asking again
        retry: (count, error) =>
          count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
    },
  });
}

function LocalizedAnt({ children }: { children: ReactNode }) {
  const locale = useLocale();
  useEffect(() => {
    dayjs.locale(DAYJS_LOCALES[locale]);
    document.documentElement.lang = locale;
  }, [locale]);
  return (
    <ConfigProvider locale={ANTD_LOCALES[locale]} theme={crmTheme}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** i18n, antd (locale switched with the language, theme), and the query cache: the root of both apps. */
export function UiProvider({ children, client }: { children: ReactNode; client?: QueryClient }) {
  const [queryClient] = useState(() => client ?? newQueryClient());
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <LocalizedAnt>{children}</LocalizedAnt>
      </QueryClientProvider>
    </I18nextProvider>
  );
}
