import type { JsonSchema, NewRecordDefaults, RelatedListInfo } from '@crm/engine/browser';
import { api, type FormServices, httpFormServices, type Locale, type RecordData, useLocale } from '@crm/ui';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';

/** The form schemas the server serves the user for a module, in their language. */
export interface ModuleForm {
  jsonSchema: JsonSchema;
  uiSchema: JsonSchema;
  related: RelatedListInfo[];
  titleField: string;
  version: number;
}

export const recordPath = (module: string, id: string) =>
  `/api/modules/${encodeURIComponent(module)}/records/${encodeURIComponent(id)}`;

export function useModuleForm(module: string) {
  const locale = useLocale();
  return useQuery({
    queryKey: ['form-schema', module, locale],
    queryFn: () =>
      api.get<ModuleForm>(`/api/meta/modules/${encodeURIComponent(module)}/schema`, { query: { locale } }),
  });
}

export function useRecord(module: string, id: string | undefined) {
  return useQuery({
    queryKey: ['record', module, id],
    queryFn: () => api.get<RecordData>(recordPath(module, id ?? '')),
    enabled: id !== undefined,
  });
}

/** What a new record starts with for the user (defaults, new rows); fetched anew for each new form. */
export function useNewRecordDefaults(module: string, enabled: boolean) {
  return useQuery({
    queryKey: ['new-record', module],
    queryFn: () => api.get<NewRecordDefaults>(`/api/modules/${encodeURIComponent(module)}/defaults`),
    enabled,
    gcTime: 0,
    staleTime: 0,
  });
}

/** The form widgets' services over the app's API client. */
export function formServices(locale: Locale): FormServices {
  return httpFormServices(
    {
      get: (path) => api.get(path),
      upload: (path, body, headers) => api.post(path, body, { headers }),
    },
    locale,
  );
}

export function useFormServices(): FormServices {
  const locale = useLocale();
  return useMemo(() => formServices(locale), [locale]);
}

/** A record's title: its module's title field, else its id. */
export function recordTitle(form: ModuleForm | undefined, record: RecordData | undefined): string {
  if (!record) return '';
  const value = form ? record[form.titleField] : undefined;
  return value === null || value === undefined || value === '' ? record.id : String(value);
}
