import {
  ApiError,
  api,
  ErrorState,
  RecordForm as GeneratedForm,
  LoadingState,
  type SaveOutcome,
  useLocale,
  useLocalize,
  type Values,
} from '@crm/ui';
import { useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { usePublishedDefinition } from '../definitions.ts';
import {
  recordPath,
  recordTitle,
  useFormServices,
  useModuleForm,
  useNewRecordDefaults,
  useRecord,
} from '../record/data.ts';
import { RECORD } from '../record/messages.ts';
import { LeaveGuard, SAVED_STATE } from './LeaveGuard.tsx';

/** What a failed save means to the form: problems on fields, a conflict to merge, or a plain failure. */
function outcomeOf(error: unknown): SaveOutcome {
  if (error instanceof ApiError) {
    if (error.status === 409 && error.kind === 'conflict') return { status: 'conflict' };
    if (error.status === 422 || error.status === 400)
      return { status: 'invalid', problems: error.problems, detail: error.message };
    return { status: 'failed', detail: error.message };
  }
  return { status: 'failed', detail: error instanceof Error ? error.message : String(error) };
}

/** The generated form for a new record (`/m/:module/new`) or an existing one (`/m/:module/:id/edit`). */
export function RecordForm() {
  const { module = '', id } = useParams();
  const { t } = useTranslation(RECORD);
  const locale = useLocale();
  const localize = useLocalize();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const services = useFormServices();
  const definition = usePublishedDefinition(module);
  const form = useModuleForm(module);
  const record = useRecord(module, id);
  // new rows start with their defaults when editing too (when the user may create records)
  const defaults = useNewRecordDefaults(module, true);
  const [dirty, setDirty] = useState(false);

  if (form.isPending || (id !== undefined ? record.isPending : defaults.isPending)) return <LoadingState />;
  if (form.isError) return <ErrorState error={form.error} onRetry={() => void form.refetch()} />;
  if (record.isError) return <ErrorState error={record.error} onRetry={() => void record.refetch()} />;
  if (id === undefined && defaults.isError)
    return <ErrorState error={defaults.error} onRetry={() => void defaults.refetch()} />;

  const moduleLabel = localize(definition.data?.label, module);
  const title = id
    ? t('editTitle', { title: recordTitle(form.data, record.data) })
    : t('newTitle', { module: moduleLabel });
  const back = () => navigate(id ? `/m/${module}/${id}` : `/m/${module}`);

  const save = async (values: Values, version: number | undefined): Promise<SaveOutcome> => {
    try {
      const saved = id
        ? await api.patch<{ id: string }>(recordPath(module, id), values, {
            headers: version === undefined ? {} : { 'if-match': `"${version}"` },
          })
        : await api.post<{ id: string }>(`/api/modules/${encodeURIComponent(module)}/records`, values);
      setDirty(false);
      await queryClient.invalidateQueries({ queryKey: ['record', module, saved.id] });
      void queryClient.invalidateQueries({ queryKey: ['records', module] });
      message.success(t('saved'));
      navigate(`/m/${module}/${saved.id}`, { state: SAVED_STATE });
      return { status: 'saved' };
    } catch (error) {
      return outcomeOf(error);
    }
  };

  return (
    // data-dirty: what the leave guard goes by (the form reports a change a moment after the keystroke)
    <div className="crm-form-page" data-testid="record-form" data-dirty={dirty}>
      <Typography.Title level={3}>{title}</Typography.Title>
      <GeneratedForm
        key={`${module}/${id ?? 'new'}/${locale}`}
        module={module}
        jsonSchema={form.data.jsonSchema}
        uiSchema={form.data.uiSchema}
        locale={locale}
        services={services}
        record={id === undefined ? defaults.data?.values : record.data}
        newRows={defaults.data?.rows}
        onSave={save}
        reload={() => api.get<Values>(recordPath(module, id ?? ''))}
        onCancel={back}
        onDirtyChange={setDirty}
      />
      <LeaveGuard dirty={dirty} />
    </div>
  );
}
