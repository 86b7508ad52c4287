import type { ModuleDefinition } from '@crm/engine/browser';
import {
  ApiError,
  type ApiProblem,
  api,
  errorMessage,
  problemMessage,
  useLocale,
  useLocalize,
} from '@crm/ui';
import { Alert, App, Button, Form, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIST } from './messages.ts';
import { FieldValueInput } from './ValueInput.tsx';

/** Types a bulk edit cannot set: computed, or more than one value to think about. */
const NOT_BULK_EDITABLE = new Set(['formula', 'rollup', 'autonumber', 'subtable', 'file', 'relations']);

interface FailedRecord {
  id: string;
  index: number;
  errors: ApiProblem[];
}

/** What a refused bulk request says: each record that failed and why. */
function failuresOf(error: unknown, locale: ReturnType<typeof useLocale>): string[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.document?.records))
    return [errorMessage(error, locale)];
  return (error.document.records as FailedRecord[]).flatMap((r) =>
    r.errors.map((e) => `${r.id.slice(0, 8)}… ${e.pointer.replace(/^\//, '')} ${problemMessage(e, locale)}`),
  );
}

/** Acts on the selected records: delete them all, or set one field on all of them (all or nothing). */
export function BulkBar({
  module,
  definition,
  selected,
  onDone,
  onClear,
}: {
  module: string;
  definition: ModuleDefinition;
  selected: string[];
  onDone(): void;
  onClear(): void;
}) {
  const { t } = useTranslation(LIST);
  const { t: ui } = useTranslation();
  const locale = useLocale();
  const localize = useLocalize();
  const { message, modal } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [fieldName, setFieldName] = useState<string>();
  const [value, setValue] = useState<unknown>(null);
  const [failures, setFailures] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const editable = definition.fields.filter((f) => !NOT_BULK_EDITABLE.has(f.type));
  const field = editable.find((f) => f.name === fieldName);
  const path = `/api/modules/${encodeURIComponent(module)}/records/bulk`;

  const remove = () =>
    modal.confirm({
      title: t('bulk.confirmDelete', { count: selected.length }),
      okButtonProps: { danger: true },
      okText: ui('action.delete'),
      cancelText: ui('action.cancel'),
      onOk: async () => {
        try {
          const done = await api.post<{ deleted: number }>(path, { action: 'delete', ids: selected });
          message.success(t('bulk.deleted', { count: done.deleted }));
          onDone();
        } catch (error) {
          modal.error({ title: t('bulk.failed'), content: failuresOf(error, locale).join('\n') });
        }
      },
    });

  const update = async () => {
    if (!field) return;
    setBusy(true);
    setFailures([]);
    try {
      const done = await api.post<{ updated: number }>(path, {
        action: 'update',
        ids: selected,
        patch: { [field.name]: value },
      });
      message.success(t('bulk.updated', { count: done.updated }));
      setEditing(false);
      onDone();
    } catch (error) {
      setFailures(failuresOf(error, locale));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space wrap data-testid="bulk-bar">
      <Typography.Text strong>{t('bulk.selected', { count: selected.length })}</Typography.Text>
      <Button onClick={() => setEditing(true)} data-testid="bulk-edit">
        {t('bulk.edit')}
      </Button>
      <Button danger onClick={remove} data-testid="bulk-delete">
        {t('bulk.delete')}
      </Button>
      <Button type="link" onClick={onClear}>
        {t('bulk.clear')}
      </Button>
      <Modal
        open={editing}
        title={t('bulk.editTitle', { count: selected.length })}
        okText={ui('action.apply')}
        cancelText={ui('action.cancel')}
        okButtonProps={{ disabled: !field, loading: busy, id: 'bulk-apply' }}
        onOk={update}
        onCancel={() => {
          setEditing(false);
          setFailures([]);
        }}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label={t('field')}>
            <Select
              data-testid="bulk-field"
              showSearch={{ optionFilterProp: 'label' }}
              value={fieldName}
              options={editable.map((f) => ({ value: f.name, label: localize(f.label, f.name) }))}
              onChange={(name: string) => {
                setFieldName(name);
                setValue(null);
              }}
            />
          </Form.Item>
          {field && (
            <Form.Item label={t('value')}>
              <FieldValueInput field={field} value={value} onChange={setValue} />
            </Form.Item>
          )}
        </Form>
        {failures.length > 0 && (
          <Alert
            type="error"
            showIcon
            title={t('bulk.failed')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 16 }}>
                {failures.slice(0, 20).map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            }
          />
        )}
      </Modal>
    </Space>
  );
}
