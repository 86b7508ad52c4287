import {
  compileConditions,
  type FileReference,
  type FormConditions,
  type JsonSchema,
} from '@crm/engine/browser';
import {
  api,
  EmptyState,
  ErrorState,
  FieldValue,
  formText,
  LoadingState,
  type RecordData,
  useFormatters,
  useLocale,
  useLocalize,
} from '@crm/ui';
import { useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Descriptions, List, Popconfirm, Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { APPROVALS } from '../approvals/messages.ts';
import { RecordApprovals } from '../approvals/RecordApprovals.tsx';
import { usePublishedDefinition } from '../definitions.ts';
import { pluginCellByWidget, useFieldTypes } from '../list/fields.ts';
import { PoolButtons } from '../pool/PoolButtons.tsx';
import {
  type ModuleForm,
  recordPath,
  recordTitle,
  useFormServices,
  useModuleForm,
  useRecord,
} from './data.ts';
import { History } from './History.tsx';
import { RECORD } from './messages.ts';
import { RecordOwner } from './RecordOwner.tsx';
import { Related } from './Related.tsx';

interface Section {
  id: string;
  title: string | null;
  columns: number;
  fields: string[];
}

function sectionsOf(form: ModuleForm): Section[] {
  const layout = form.uiSchema['ui:layout'] as { sections: Section[] } | undefined;
  return (
    layout?.sections ?? [
      { id: '_all', title: null, columns: 2, fields: Object.keys(form.jsonSchema.properties ?? {}) },
    ]
  );
}

function hiddenFields(form: ModuleForm, record: RecordData): string[] {
  const conditions = form.uiSchema['ui:conditions'] as FormConditions | undefined;
  return conditions ? compileConditions(conditions)(record).hidden : [];
}

function filesOf(form: ModuleForm, record: RecordData): { field: string; file: FileReference }[] {
  return Object.entries(form.uiSchema)
    .filter(([key, ui]) => !key.startsWith('ui:') && (ui as JsonSchema)['ui:widget'] === 'files')
    .flatMap(([field]) => ((record[field] as FileReference[] | null) ?? []).map((file) => ({ field, file })));
}

/** A record's page: its fields, related lists, history with restore, attachments; edit and delete. */
export function RecordPage() {
  const { module = '', id = '' } = useParams();
  const { t } = useTranslation(RECORD);
  const approvalsText = useTranslation(APPROVALS).t;
  const [params, setParams] = useSearchParams();
  const locale = useLocale();
  const localize = useLocalize();
  const format = useFormatters();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const services = useFormServices();
  const definition = usePublishedDefinition(module);
  const form = useModuleForm(module);
  const record = useRecord(module, id);
  // plugin field types' cells show their values here as in the list
  const pluginCell = pluginCellByWidget(useFieldTypes().data);

  if (form.isPending || record.isPending) return <LoadingState />;
  if (form.isError) return <ErrorState error={form.error} onRetry={() => void form.refetch()} />;
  if (record.isError) return <ErrorState error={record.error} onRetry={() => void record.refetch()} />;

  const data = record.data;
  const properties = (form.data.jsonSchema.properties ?? {}) as Record<string, JsonSchema>;
  const text = formText(locale);
  const title = recordTitle(form.data, data);
  const files = filesOf(form.data, data);
  // a field its visibleWhen hides now is hidden here too
  const hidden = new Set(hiddenFields(form.data, data));

  const remove = async () => {
    await api.delete(recordPath(module, id), { headers: { 'if-match': `"${data.version}"` } });
    message.success(t('deleted'));
    void queryClient.invalidateQueries({ queryKey: ['records', module] });
    navigate(`/m/${module}`);
  };
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['record', module, id] });

  const details = sectionsOf(form.data).map((section) => (
    <Card key={section.id} size="small" title={section.title ?? undefined} style={{ marginBottom: 16 }}>
      <Descriptions
        column={{
          xs: 1,
          sm: 1,
          md: Math.min(section.columns, 2),
          lg: section.columns,
          xl: section.columns,
          xxl: section.columns,
        }}
        layout="vertical"
        size="small"
        items={section.fields
          .filter((name) => properties[name] && !hidden.has(name))
          .map((name) => ({
            key: name,
            label: String(properties[name].title ?? name),
            span:
              (form.data.uiSchema[name] as JsonSchema | undefined)?.['ui:widget'] === 'subtable'
                ? 'filled'
                : undefined,
            children: (
              <FieldValue
                value={data[name]}
                schema={properties[name]}
                ui={form.data.uiSchema[name] as JsonSchema | undefined}
                locale={locale}
                text={text}
                services={services}
                recordHref={(target, targetId) => `/m/${target}/${targetId}`}
                pluginCell={pluginCell}
              />
            ),
          }))}
      />
    </Card>
  ));

  return (
    <div className="crm-record-page" data-testid="record-page">
      <Space align="start" style={{ width: '100%', justifyContent: 'space-between', flexWrap: 'wrap' }}>
        <div>
          <Typography.Text type="secondary">
            <Link to={`/m/${module}`}>{localize(definition.data?.label, module)}</Link>
          </Typography.Text>
          <Typography.Title level={3} style={{ marginTop: 4 }}>
            {title}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t('createdBy', { at: format.dateTime(data.created_at) })} ·{' '}
            {t('updatedAt', { at: format.dateTime(data.updated_at) })}
          </Typography.Text>
          <div>
            <RecordOwner owner={data.owner} />
          </div>
        </div>
        <Space>
          <PoolButtons
            module={module}
            definition={definition.data}
            record={data}
            onDone={() => {
              refresh();
              void queryClient.invalidateQueries({ queryKey: ['records', module] });
            }}
          />
          <Button type="primary" onClick={() => navigate(`/m/${module}/${id}/edit`)}>
            {t('edit')}
          </Button>
          <Popconfirm title={t('deleteConfirm')} okButtonProps={{ danger: true }} onConfirm={remove}>
            <Button danger>{t('delete')}</Button>
          </Popconfirm>
        </Space>
      </Space>
      <Tabs
        style={{ marginTop: 16 }}
        activeKey={params.get('tab') ?? 'details'}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        items={[
          { key: 'details', label: t('details'), children: details },
          {
            key: 'related',
            label: t('related'),
            children: <Related module={module} id={id} lists={form.data.related} />,
          },
          {
            key: 'approvals',
            label: approvalsText('title'),
            children: <RecordApprovals module={module} id={id} />,
          },
          {
            key: 'history',
            label: t('history'),
            children: (
              <History
                module={module}
                id={id}
                form={form.data}
                locale={locale}
                services={services}
                currentVersion={data.version}
                onRestored={refresh}
              />
            ),
          },
          {
            key: 'attachments',
            label: `${t('attachments')}${files.length > 0 ? ` (${files.length})` : ''}`,
            children:
              files.length === 0 ? (
                <EmptyState description={t('noAttachments')} />
              ) : (
                <List
                  size="small"
                  dataSource={files}
                  renderItem={({ field, file }) => (
                    <List.Item extra={String(properties[field]?.title ?? field)}>
                      <a href={services.fileUrl(file.id)} download={file.name}>
                        {file.name}
                      </a>{' '}
                      <Typography.Text type="secondary">
                        {format.number(Math.ceil(file.size / 1024))} KB
                      </Typography.Text>
                    </List.Item>
                  )}
                />
              ),
          },
        ]}
      />
    </div>
  );
}
