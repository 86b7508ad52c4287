import type { FileReference } from '@crm/engine/browser';
import { errorMessage, FileUploader, formText, useLocale } from '@crm/ui';
import { Alert, App as AntApp, Form, Input, Modal, Radio, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormServices } from '../record/data.ts';
import { actOnTask, type TaskAction, type TaskDetail, uploadAttachment } from './data.ts';
import { APPROVALS } from './messages.ts';

interface UserPickerProps {
  value?: string | string[];
  onChange?: (value: string | string[]) => void;
  multiple?: boolean;
  id?: string;
}

/** People from the organisation directory, searched as the user types. */
function UserPicker({ value, onChange, multiple, id }: UserPickerProps) {
  const { t } = useTranslation(APPROVALS);
  const services = useFormServices();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const search = (query: string) => {
    services
      .searchUsers(query)
      .then((found) => setOptions(found.map(({ value, label }) => ({ value, label }))))
      .catch(() => setOptions([]));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the first page of people, once
  useEffect(() => search(''), []);
  return (
    <Select
      id={id}
      mode={multiple ? 'multiple' : undefined}
      showSearch
      filterOption={false}
      onSearch={search}
      options={options}
      value={value}
      onChange={onChange}
      placeholder={t('searchUsers')}
      data-testid="user-picker"
    />
  );
}

/** The action's files, uploaded as they are picked (the files API), sent as their ids. */
function AttachmentsInput({
  value,
  onChange,
}: {
  value?: FileReference[];
  onChange?: (files: FileReference[]) => void;
}) {
  const locale = useLocale();
  return (
    <div data-testid="action-attachments">
      <FileUploader
        value={value ?? []}
        onChange={(files) => onChange?.(files)}
        upload={uploadAttachment}
        fileUrl={(id) => `/api/files/${encodeURIComponent(id)}`}
        text={formText(locale)}
        multiple
      />
    </div>
  );
}

interface FormValues {
  comment?: string;
  attachments?: FileReference[];
  target?: string;
  to?: string;
  users?: string[];
  position?: 'before' | 'after';
}

interface ActionDialogProps {
  task: TaskDetail;
  action: TaskAction | null;
  onClose: () => void;
  onDone: () => void;
}

/** The dialog of one action on an approval task: its inputs, a comment, the API's refusal if any. */
export function ActionDialog({ task, action, onClose, onDone }: ActionDialogProps) {
  const { t } = useTranslation(APPROVALS);
  const locale = useLocale();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (action) {
      form.resetFields();
      setError(null);
    }
  }, [action, form]);

  const submit = async () => {
    if (!action) return;
    // an invalid input shows under its field
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    setError(null);
    try {
      await actOnTask(task.task.id, action, {
        ...values,
        comment: values.comment || undefined,
        attachments: values.attachments?.map((file) => file.id),
      });
      message.success(t('done'));
      onDone();
    } catch (failure) {
      setError(errorMessage(failure, locale));
    } finally {
      setBusy(false);
    }
  };

  const pick = { required: true, message: t('pickUsers') };
  return (
    <Modal
      open={action !== null}
      title={action ? t(`action.${action}`) : ''}
      okText={action ? t(`action.${action}`) : ''}
      okButtonProps={{ danger: action === 'reject', loading: busy }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      rootClassName="crm-action-dialog"
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form form={form} layout="vertical" initialValues={{ target: 'previous', position: 'before' }}>
        {action === 'return' ? (
          <Form.Item name="target" label={t('returnTo')}>
            <Select
              options={[
                { value: 'previous', label: t('previous') },
                { value: 'submitter', label: t('submitterTarget') },
                ...task.returnTargets.map((step) => ({
                  value: step.elementId,
                  label: step.name ?? step.elementId,
                })),
              ]}
            />
          </Form.Item>
        ) : null}
        {action === 'transfer' ? (
          <Form.Item name="to" label={t('transferTo')} rules={[pick]}>
            <UserPicker />
          </Form.Item>
        ) : null}
        {action === 'add-signer' ? (
          <>
            <Form.Item name="users" label={t('signers')} rules={[pick]}>
              <UserPicker multiple />
            </Form.Item>
            <Form.Item name="position" label={t('position')}>
              <Radio.Group
                options={[
                  { value: 'before', label: t('before') },
                  { value: 'after', label: t('after') },
                ]}
              />
            </Form.Item>
          </>
        ) : null}
        {action === 'cc' ? (
          <Form.Item name="users" label={t('ccUsers')} rules={[pick]}>
            <UserPicker multiple />
          </Form.Item>
        ) : null}
        <Form.Item name="comment" label={t('comment')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="attachments" label={t('attachments')}>
          <AttachmentsInput />
        </Form.Item>
      </Form>
    </Modal>
  );
}
