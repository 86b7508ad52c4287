import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { designerApi, type ModuleDefinition, type ModuleState } from '../api.ts';

export interface ModuleDraft {
  state: ModuleState | undefined;
  /** The definition being edited: the saved draft, else the published one, plus unsaved edits. */
  definition: ModuleDefinition | undefined;
  dirty: boolean;
  loading: boolean;
  error: unknown;
  update(change: (definition: ModuleDefinition) => ModuleDefinition): void;
  /** Saves the edits as the module's draft (the server checks its shape). */
  save(): Promise<ModuleState>;
  saving: boolean;
  saveError: unknown;
  /** Drops unsaved edits and the saved draft. */
  discard(): Promise<void>;
  reload(): Promise<unknown>;
}

/** The module designer's working copy of one module's definition. */
export function useModuleDraft(moduleId: string): ModuleDraft {
  const queryClient = useQueryClient();
  const key = ['designer', 'module', moduleId];
  const query = useQuery({ queryKey: key, queryFn: () => designerApi.module(moduleId) });
  const [definition, setDefinition] = useState<ModuleDefinition | undefined>(undefined);
  const [dirty, setDirty] = useState(false);

  // a fresh server state replaces the working copy unless it holds unsaved edits
  useEffect(() => {
    if (query.data && !dirty)
      setDefinition(structuredClone(query.data.draft ?? query.data.published ?? undefined));
  }, [query.data, dirty]);

  const update = useCallback((change: (definition: ModuleDefinition) => ModuleDefinition) => {
    setDefinition((current) => (current ? change(structuredClone(current)) : current));
    setDirty(true);
  }, []);

  const saveMutation = useMutation({
    mutationFn: (value: ModuleDefinition) => designerApi.saveDraft(moduleId, value),
    onSuccess: (state) => {
      queryClient.setQueryData(key, state);
      void queryClient.invalidateQueries({ queryKey: ['designer', 'modules'] });
      setDirty(false);
      setDefinition(structuredClone(state.draft ?? state.published ?? undefined));
    },
  });

  const save = useCallback(async () => {
    if (!definition) throw new Error('nothing to save');
    return saveMutation.mutateAsync(definition);
  }, [definition, saveMutation]);

  const discard = useCallback(async () => {
    if (query.data?.draft) await designerApi.discardDraft(moduleId);
    setDirty(false);
    await queryClient.invalidateQueries({ queryKey: ['designer'] });
  }, [moduleId, query.data, queryClient]);

  return {
    state: query.data,
    definition,
    dirty,
    loading: query.isPending,
    error: query.error,
    update,
    save,
    saving: saveMutation.isPending,
    saveError: saveMutation.error,
    discard,
    reload: () => query.refetch(),
  };
}
