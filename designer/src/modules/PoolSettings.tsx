import { checkPool, POOL_FIELD_TYPES, type PoolDefinition } from '@crm/engine/browser';
import { useLocalize } from '@crm/ui';
import { Card, Form, InputNumber, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ModuleDefinition } from '../api.ts';
import { DESIGNER } from '../messages.ts';
import { useProblemAt } from './settings-problems.ts';
import type { ModuleDraft } from './useModuleDraft.ts';

type PoolFieldKey = keyof typeof POOL_FIELD_TYPES;

/**
 * The module's customer pool: on or off, the most records one person may own, the fields a claim
 * and a release write (only fields of the type written are offered) and the default release reason,
 * with the publish's own checks shown on each setting.
 */
export function PoolSettings({ draft }: { draft: ModuleDraft }) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const definition = draft.definition as ModuleDefinition;
  const pool = definition.pool;
  const problemAt = useProblemAt(checkPool(definition));
  const setPool = (next: PoolDefinition | undefined) =>
    draft.update((d) => {
      const { pool: _old, ...rest } = d;
      return next ? { ...rest, pool: next } : rest;
    });
  const set = <K extends keyof PoolDefinition>(key: K, value: PoolDefinition[K] | undefined) => {
    const next: PoolDefinition = { ...pool };
    if (value === undefined || value === null) delete next[key];
    else next[key] = value;
    // the default reason belongs to the reason field: a new field drops it
    if (key === 'reasonField') delete next.releaseReason;
    setPool(next);
  };
  const fieldPicker = (key: PoolFieldKey) => {
    const fitting = definition.fields.filter((f) => f.type === POOL_FIELD_TYPES[key]);
    return (
      <Form.Item label={t(`pool.${key}`)} extra={t(`pool.${key}Help`)} {...problemAt(`/pool/${key}`)}>
        <Select
          allowClear
          value={pool?.[key]}
          onChange={(value?: string) => set(key, value)}
          data-testid={`pool-${key}`}
          notFoundContent={t(POOL_FIELD_TYPES[key] === 'select' ? 'pool.noSelect' : 'pool.noDatetime')}
          options={fitting.map((f) => ({ value: f.name, label: `${localize(f.label, f.name)} (${f.name})` }))}
        />
      </Form.Item>
    );
  };
  const reasonField = definition.fields.find((f) => f.name === pool?.reasonField);
  const reasons = Array.isArray(reasonField?.options)
    ? (reasonField.options as { value: string; label?: Record<string, string> }[])
    : [];

  return (
    <Card
      size="small"
      style={{ maxWidth: 720, marginTop: 16 }}
      data-testid="pool-settings"
      title={t('pool.title')}
      extra={
        <Switch
          checked={pool !== undefined}
          onChange={(on) => setPool(on ? {} : undefined)}
          aria-label={t('pool.enable')}
          data-testid="pool-enabled"
        />
      }
    >
      <Typography.Paragraph type="secondary">{t('pool.help')}</Typography.Paragraph>
      {pool && (
        <Form layout="vertical" component="div">
          <Form.Item
            label={t('pool.claimLimit')}
            extra={t('pool.claimLimitHelp')}
            {...problemAt('/pool/claimLimit')}
          >
            <InputNumber
              min={1}
              max={100000}
              precision={0}
              value={pool.claimLimit ?? null}
              onChange={(value) => set('claimLimit', value ?? undefined)}
              placeholder={t('pool.noLimit')}
              data-testid="pool-claimLimit"
            />
          </Form.Item>
          {fieldPicker('claimedAtField')}
          {fieldPicker('returnedAtField')}
          {fieldPicker('reasonField')}
          <Form.Item
            label={t('pool.releaseReason')}
            extra={t('pool.releaseReasonHelp')}
            {...problemAt('/pool/releaseReason')}
          >
            <Select
              allowClear
              disabled={!pool.reasonField}
              value={pool.releaseReason}
              onChange={(value?: string) => set('releaseReason', value)}
              data-testid="pool-releaseReason"
              options={reasons.map((o) => ({ value: o.value, label: localize(o.label, o.value) }))}
            />
          </Form.Item>
        </Form>
      )}
    </Card>
  );
}
