import { PlusOutlined } from '@ant-design/icons';
import { ErrorState, LoadingState, useLocalize } from '@crm/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  List,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { designerApi, type ModuleDefinition } from '../api.ts';
import { useProblemLines } from '../errors.ts';
import { LocaleTextInput } from '../fields/LocaleTextInput.tsx';
import { ROLES } from './messages.ts';
import { OPERATIONS, type Role, roleApi, SCOPES, type Scope } from './role-api.ts';

/** Roles and their permissions: modules × operations × scope, export, and field rights per module. */
export function RolesPage() {
  const { t } = useTranslation(ROLES);
  const localize = useLocalize();
  const roles = useQuery({ queryKey: ['designer', 'roles'], queryFn: roleApi.list });
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [creating, setCreating] = useState(false);
  if (roles.isPending) return <LoadingState />;
  if (roles.isError) return <ErrorState error={roles.error} />;
  const role = roles.data.find((r) => r.id === selected) ?? (creating ? undefined : roles.data[0]);
  return (
    <Row gutter={16} data-testid="roles-page">
      <Col xs={24} md={6}>
        <Card
          size="small"
          title={t('title')}
          extra={
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="new-role"
            >
              {t('new')}
            </Button>
          }
        >
          <List
            size="small"
            dataSource={roles.data}
            renderItem={(r) => (
              <List.Item
                style={{ cursor: 'pointer', fontWeight: r.id === role?.id ? 600 : undefined }}
                onClick={() => {
                  setCreating(false);
                  setSelected(r.id);
                }}
              >
                {localize(r.label, r.id)} <code>{r.id}</code>
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col xs={24} md={18}>
        {creating ? (
          <RoleEditor
            key="new"
            onSaved={(id) => {
              setCreating(false);
              setSelected(id);
            }}
          />
        ) : role ? (
          <RoleEditor key={role.id} role={role} onSaved={setSelected} />
        ) : (
          <Typography.Text type="secondary">{t('none')}</Typography.Text>
        )}
      </Col>
    </Row>
  );
}

function RoleEditor({ role, onSaved }: { role?: Role; onSaved(id: string): void }) {
  const { t } = useTranslation(ROLES);
  const localize = useLocalize();
  const { message } = App.useApp();
  const problemLines = useProblemLines();
  const queryClient = useQueryClient();
  const modules = useQuery({ queryKey: ['designer', 'modules'], queryFn: designerApi.modules });
  const [value, setValue] = useState<Role>(
    () => role ?? { id: '', label: { en: '', 'zh-CN': '' }, modules: {} },
  );
  const [failure, setFailure] = useState<string[] | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [fieldsOf, setFieldsOf] = useState<string | undefined>(undefined);
  useEffect(() => setValue(role ?? { id: '', label: { en: '', 'zh-CN': '' }, modules: {} }), [role]);
  const published = (modules.data ?? []).filter((m) => m.publishedVersion !== null && !m.archived);

  const grant = (moduleId: string) => value.modules[moduleId] ?? {};
  const setGrant = (moduleId: string, patch: Record<string, unknown>) => {
    const next = { ...grant(moduleId), ...patch };
    for (const [key, v] of Object.entries(next))
      if (v === null || v === undefined || v === false) delete (next as Record<string, unknown>)[key];
    const modulesNext = { ...value.modules };
    if (Object.keys(next).length === 0) delete modulesNext[moduleId];
    else modulesNext[moduleId] = next;
    setValue({ ...value, modules: modulesNext });
  };

  const save = async () => {
    setSaving(true);
    setFailure(undefined);
    try {
      const { createdAt: _c, updatedAt: _u, ...definition } = value;
      const saved = role ? await roleApi.update(role.id, definition) : await roleApi.create(definition);
      await queryClient.invalidateQueries({ queryKey: ['designer', 'roles'] });
      message.success(t('saved'));
      onSaved(saved.id);
    } catch (error) {
      setFailure(problemLines(error));
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!role) return;
    try {
      await roleApi.remove(role.id);
      await queryClient.invalidateQueries({ queryKey: ['designer', 'roles'] });
    } catch (error) {
      message.error(problemLines(error).join('; '));
    }
  };

  return (
    <Card
      size="small"
      title={role ? localize(role.label, role.id) : t('new')}
      extra={
        <Space>
          {role && (
            <Popconfirm title={t('deleteConfirm')} onConfirm={() => void remove()}>
              <Button danger>{t('delete')}</Button>
            </Popconfirm>
          )}
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="save-role">
            {t('save')}
          </Button>
        </Space>
      }
    >
      {failure && (
        <Alert
          type="error"
          showIcon
          title={t('failed')}
          description={failure.map((line) => <div key={line}>{line}</div>)}
          style={{ marginBottom: 8 }}
        />
      )}
      <Form layout="vertical" size="small">
        <Form.Item label={t('id')} required>
          <Input
            value={value.id}
            disabled={role !== undefined}
            onChange={(e) => setValue({ ...value, id: e.target.value })}
            data-testid="role-id"
          />
        </Form.Item>
        <LocaleTextInput
          label={t('label')}
          value={value.label}
          onChange={(label) => setValue({ ...value, label: label ?? {} })}
          required
          testId="role-label"
        />
      </Form>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={published}
        scroll={{ x: true }}
        data-testid="permission-matrix"
        columns={[
          { title: t('module'), fixed: 'left', render: (_, m) => localize(m.label, m.name) },
          ...OPERATIONS.map((op) => ({
            title: t(`operations.${op}`),
            key: op,
            render: (_: unknown, m: (typeof published)[number]) => (
              <Select
                size="small"
                style={{ width: 118 }}
                allowClear
                placeholder={t('none')}
                value={(grant(m.id)[op] as Scope | undefined) ?? undefined}
                onChange={(scope) => setGrant(m.id, { [op]: scope ?? null })}
                options={SCOPES.map((s) => ({ value: s, label: t(`scopes.${s}`) }))}
                data-testid={`grant-${m.name}-${op}`}
              />
            ),
          })),
          {
            title: t('export'),
            key: 'export',
            render: (_: unknown, m: (typeof published)[number]) => (
              <Switch
                size="small"
                checked={grant(m.id).export === true}
                onChange={(on) => setGrant(m.id, { export: on })}
              />
            ),
          },
          {
            title: t('claim'),
            key: 'claim',
            render: (_: unknown, m: (typeof published)[number]) => (
              <Switch
                size="small"
                checked={grant(m.id).claim === true}
                onChange={(on) => setGrant(m.id, { claim: on })}
                data-testid={`grant-${m.name}-claim`}
              />
            ),
          },
          {
            title: t('fields'),
            key: 'fields',
            render: (_: unknown, m: (typeof published)[number]) => (
              <Button size="small" onClick={() => setFieldsOf(m.id)} data-testid={`field-rights-${m.name}`}>
                {t('fieldRights', { count: Object.keys(grant(m.id).fields ?? {}).length })}
              </Button>
            ),
          },
        ]}
      />
      {fieldsOf && (
        <FieldRights
          moduleId={fieldsOf}
          rights={(grant(fieldsOf).fields as Record<string, string> | undefined) ?? {}}
          onChange={(fields) =>
            setGrant(fieldsOf, { fields: Object.keys(fields).length > 0 ? fields : null })
          }
        />
      )}
    </Card>
  );
}

function FieldRights({
  moduleId,
  rights,
  onChange,
}: {
  moduleId: string;
  rights: Record<string, string>;
  onChange(rights: Record<string, string>): void;
}) {
  const { t } = useTranslation(ROLES);
  const localize = useLocalize();
  const module = useQuery({
    queryKey: ['designer', 'module', moduleId],
    queryFn: () => designerApi.module(moduleId),
  });
  const definition: ModuleDefinition | null | undefined = module.data?.published;
  if (!definition) return null;
  return (
    <Card
      size="small"
      type="inner"
      style={{ marginTop: 12 }}
      title={t('fieldRightsOf', { module: localize(definition.label, definition.name) })}
    >
      <Typography.Paragraph type="secondary">{t('fieldRightsHelp')}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={definition.fields}
        columns={[
          { title: t('field'), render: (_, f) => `${localize(f.label, f.name)} (${f.name})` },
          {
            title: t('right'),
            render: (_, f) => (
              <Select
                size="small"
                style={{ width: 160 }}
                allowClear
                placeholder={t('rights.default')}
                value={rights[f.id] ?? rights[f.name]}
                onChange={(right) => {
                  const next = { ...rights };
                  delete next[f.name];
                  if (right) next[f.id] = right;
                  else delete next[f.id];
                  onChange(next);
                }}
                options={['none', 'read', 'write'].map((r) => ({ value: r, label: t(`rights.${r}`) }))}
                data-testid={`field-right-${f.name}`}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
