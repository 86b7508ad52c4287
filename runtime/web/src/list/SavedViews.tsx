import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { api, errorMessage, useLocale } from '@crm/ui';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIST } from './messages.ts';
import { type SavedView, useSavedViews, type ViewSettings } from './views.ts';

/** Pick one of my saved views, save the current list as a view, update or delete the chosen one. */
export function SavedViews({
  module,
  current,
  selected,
  onSelect,
}: {
  module: string;
  current: ViewSettings;
  selected: SavedView | undefined;
  onSelect(view: SavedView | undefined): void;
}) {
  const { t } = useTranslation(LIST);
  const { t: ui } = useTranslation();
  const locale = useLocale();
  const { message, modal } = App.useApp();
  const views = useSavedViews(module);
  const queryClient = useQueryClient();
  const [naming, setNaming] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name: string }>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['views', module] });

  const save = async ({ name }: { name: string }) => {
    if (saving) return; // Enter in the name submits too, past the OK button's loading state
    setSaving(true);
    try {
      const view = await api.post<SavedView>('/api/views', { module, name, ...current });
      await refresh();
      onSelect(view);
      setNaming(false);
      form.resetFields();
      message.success(t('views.saved'));
    } catch (error) {
      form.setFields([{ name: 'name', errors: [errorMessage(error, locale)] }]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space.Compact>
      <Select
        data-testid="saved-views"
        style={{ minWidth: 160 }}
        loading={views.isPending}
        value={selected?.id ?? ''}
        options={[
          { value: '', label: t('views.all') },
          ...(views.data ?? []).map((v) => ({ value: v.id, label: v.name })),
        ]}
        onChange={(id: string) => onSelect(views.data?.find((v) => v.id === id))}
      />
      <Button icon={<SaveOutlined />} onClick={() => setNaming(true)} data-testid="save-view">
        {t('views.saveAs')}
      </Button>
      {selected && (
        <>
          <Button
            onClick={async () => {
              try {
                onSelect(await api.patch<SavedView>(`/api/views/${selected.id}`, current));
                await refresh();
                message.success(t('views.saved'));
              } catch (error) {
                message.error(errorMessage(error, locale));
              }
            }}
          >
            {t('views.update')}
          </Button>
          <Button
            danger
            icon={<DeleteOutlined />}
            aria-label={t('views.delete')}
            onClick={() =>
              modal.confirm({
                title: t('views.confirmDelete', { name: selected.name }),
                onOk: async () => {
                  await api.delete(`/api/views/${selected.id}`);
                  onSelect(undefined);
                  await refresh();
                  message.success(t('views.deleted'));
                },
              })
            }
          />
        </>
      )}
      <Modal
        open={naming}
        title={t('views.saveAs')}
        okText={ui('action.save')}
        cancelText={ui('action.cancel')}
        onOk={() => form.submit()}
        // a second click while the view is being saved would save it twice
        confirmLoading={saving}
        onCancel={() => setNaming(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={save}>
          <Form.Item
            name="name"
            label={t('views.name')}
            rules={[{ required: true, whitespace: true, max: 100 }]}
          >
            <Input autoFocus data-testid="view-name" />
          </Form.Item>
        </Form>
      </Modal>
    </Space.Compact>
  );
}
