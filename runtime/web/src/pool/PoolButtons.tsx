import type { ModuleDefinition, PoolDefinition } from '@crm/engine/browser';
import { api, errorMessage, useCurrentUser, useLocale, useLocalize } from '@crm/ui';
import { App as AntApp, Button, Form, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { POOL } from './messages.ts';

const poolPath = (module: string, id: string, action: 'claim' | 'release') =>
  `/api/modules/${encodeURIComponent(module)}/records/${encodeURIComponent(id)}/${action}`;

/** Claim: an unowned record of a pool module becomes the user's. */
export function ClaimButton({
  module,
  id,
  onDone,
  size,
}: {
  module: string;
  id: string;
  onDone: () => void;
  size?: 'small';
}) {
  const { t } = useTranslation(POOL);
  const locale = useLocale();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const claim = async () => {
    setBusy(true);
    try {
      await api.post(poolPath(module, id, 'claim'));
      message.success(t('claimed'));
      onDone();
    } catch (failure) {
      message.error(errorMessage(failure, locale));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button type="primary" size={size} loading={busy} onClick={() => void claim()} data-testid="pool-claim">
      {t('claim')}
    </Button>
  );
}

/** Release: the owner puts the record back in the pool, choosing the reason among the reason field's options. */
function ReleaseButton({
  module,
  id,
  pool,
  definition,
  onDone,
}: {
  module: string;
  id: string;
  pool: PoolDefinition;
  definition: ModuleDefinition;
  onDone: () => void;
}) {
  const { t } = useTranslation(POOL);
  const locale = useLocale();
  const localize = useLocalize();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<string | undefined>(pool.releaseReason);
  const [busy, setBusy] = useState(false);
  const field = definition.fields.find((f) => f.name === pool.reasonField);
  const options = (Array.isArray(field?.options) ? field.options : []) as {
    value: string;
    label: Record<string, string>;
  }[];
  const release = async () => {
    setBusy(true);
    try {
      await api.post(poolPath(module, id, 'release'), reason ? { reason } : {});
      message.success(t('released'));
      setOpen(false);
      onDone();
    } catch (failure) {
      message.error(errorMessage(failure, locale));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="pool-release">
        {t('release')}
      </Button>
      <Modal
        open={open}
        title={t('releaseTitle')}
        onOk={() => void release()}
        // a second click while the release is under way would send it again (and fail: no longer the owner's)
        confirmLoading={busy}
        onCancel={() => setOpen(false)}
        okText={t('release')}
        destroyOnHidden
      >
        {field && (
          <Form layout="vertical">
            <Form.Item label={t('reason')}>
              <Select
                value={reason}
                onChange={setReason}
                options={options.map((o) => ({ value: o.value, label: localize(o.label, o.value) }))}
                data-testid="pool-reason"
              />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </>
  );
}

/** The record page's pool buttons: Claim on an unowned record, Release on one the user owns. */
export function PoolButtons({
  module,
  definition,
  record,
  onDone,
}: {
  module: string;
  definition: ModuleDefinition | null | undefined;
  record: { id: string; owner?: unknown };
  onDone: () => void;
}) {
  const user = useCurrentUser();
  const pool = definition?.pool;
  if (!pool || !definition) return null;
  if (record.owner === null || record.owner === undefined) {
    return <ClaimButton module={module} id={record.id} onDone={onDone} />;
  }
  if (record.owner !== user.id) return null;
  return <ReleaseButton module={module} id={record.id} pool={pool} definition={definition} onDone={onDone} />;
}
