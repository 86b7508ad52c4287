import { PlusOutlined } from '@ant-design/icons';
import { EmptyState, ErrorState, LoadingState, useLocalize } from '@crm/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { designerApi, type ModuleSummary } from '../api.ts';
import { useErrorText } from '../errors.ts';
import { DESIGNER } from '../messages.ts';
import { API_NAME } from './names.ts';

/** Every module with its state; create a module, open one, archive or bring one back. */
export function ModuleList() {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const modules = useQuery({ queryKey: ['designer', 'modules'], queryFn: designerApi.modules });
  const [creating, setCreating] = useState(false);
  const archive = useMutation({
    mutationFn: ({ id, archived }: { id: string; archived: boolean }) =>
      designerApi.setArchived(id, archived),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['designer', 'modules'] }),
    onError: (error) => message.error(errorText(error)),
  });

  if (modules.isPending) return <LoadingState />;
  if (modules.isError) return <ErrorState error={modules.error} />;

  return (
    <div data-testid="module-list">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('modules.title')}
        </Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="new-module"
        >
          {t('modules.new')}
        </Button>
      </Space>
      {modules.data.length === 0 ? (
        <EmptyState description={t('modules.none')} />
      ) : (
        <Table<ModuleSummary>
          rowKey="id"
          dataSource={modules.data}
          pagination={false}
          columns={[
            {
              title: t('modules.label'),
              render: (_, m) => (
                <Link to={`/modules/${encodeURIComponent(m.id)}`} data-testid={`module-${m.name}`}>
                  {localize(m.label, m.name)}
                </Link>
              ),
            },
            { title: t('modules.name'), dataIndex: 'name', render: (name) => <code>{name}</code> },
            {
              title: t('modules.state'),
              render: (_, m) => (
                <Space size={4}>
                  {m.publishedVersion === null ? (
                    <Tag>{t('modules.unpublished')}</Tag>
                  ) : (
                    <Tag color="green">{t('modules.version', { version: m.publishedVersion })}</Tag>
                  )}
                  {m.hasDraft && <Tag color="gold">{t('modules.draft')}</Tag>}
                  {m.archived && <Tag color="red">{t('modules.archived')}</Tag>}
                </Space>
              ),
            },
            {
              title: '',
              render: (_, m) =>
                m.publishedVersion === null ? null : (
                  <Button
                    size="small"
                    danger={!m.archived}
                    loading={archive.isPending && archive.variables?.id === m.id}
                    onClick={() => archive.mutate({ id: m.id, archived: !m.archived })}
                  >
                    {m.archived ? t('modules.unarchive') : t('modules.archive')}
                  </Button>
                ),
            },
          ]}
        />
      )}
      <NewModuleDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

interface NewModule {
  name: string;
  en: string;
  zh: string;
}

function NewModuleDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation(DESIGNER);
  const [form] = Form.useForm<NewModule>();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (values: NewModule) =>
      designerApi.createModule({
        name: values.name,
        label: { en: values.en, 'zh-CN': values.zh || values.en },
        fields: [
          {
            name: 'title',
            type: 'text',
            label: { en: 'Title', 'zh-CN': '标题' },
            required: true,
          } as never,
        ],
      }),
    onSuccess: async (state) => {
      await queryClient.invalidateQueries({ queryKey: ['designer', 'modules'] });
      onClose();
      form.resetFields();
      navigate(`/modules/${encodeURIComponent(state.id)}`);
    },
  });
  return (
    <Modal
      open={open}
      title={t('modules.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: create.isPending, id: 'create-module' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(values) => create.mutate(values)}>
        <Form.Item
          name="name"
          label={t('modules.name')}
          extra={t('modules.nameHelp')}
          rules={[{ required: true, pattern: API_NAME, message: t('modules.nameInvalid') }]}
        >
          <Input data-testid="module-name" />
        </Form.Item>
        <Form.Item name="en" label={t('labelEn')} rules={[{ required: true }]}>
          <Input data-testid="module-label-en" />
        </Form.Item>
        <Form.Item name="zh" label={t('labelZh')}>
          <Input data-testid="module-label-zh" />
        </Form.Item>
        {create.isError && <Typography.Text type="danger">{errorText(create.error)}</Typography.Text>}
      </Form>
    </Modal>
  );
}
