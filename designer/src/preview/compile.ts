import { recordJsonSchema, recordUiSchema } from '@crm/engine/browser';
import { api, httpFormServices } from '@crm/ui';
import { useMemo } from 'react';
import type { ModuleDefinition } from '../api.ts';
import { browserRegistry } from '../rules/useCompletions.ts';

/** The form widgets' calls, over the app's API client. */
const jsonClient = {
  get: <T>(path: string) => api.get<T>(path),
  upload: <T>(path: string, body: Blob, headers: Record<string, string>) =>
    api.post<T>(path, body, { headers }),
};

/** The form widgets' services (people, departments, records, files) for the admin, in `locale`. */
export function useDesignerFormServices(locale: string) {
  return useMemo(() => httpFormServices(jsonClient, locale), [locale]);
}

export type CompiledForm =
  | { jsonSchema: ReturnType<typeof recordJsonSchema>; uiSchema: ReturnType<typeof recordUiSchema> }
  | { error: string };

/**
 * The definition being edited compiled in the browser by the engine's own compiler (what the runtime
 * serves), with the form widgets' services; a definition that does not compile yet gives its error.
 */
export function useCompiledForm(definition: ModuleDefinition, locale: string) {
  const services = useDesignerFormServices(locale);
  const compiled = useMemo((): CompiledForm => {
    try {
      return {
        jsonSchema: recordJsonSchema(definition, browserRegistry(), locale),
        uiSchema: recordUiSchema(definition, browserRegistry(), locale),
      };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }, [definition, locale]);
  return { compiled, services };
}
