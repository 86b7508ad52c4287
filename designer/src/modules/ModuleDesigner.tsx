import { ErrorState, LoadingState, useLocalize } from '@crm/ui';
import { Alert, App, Badge, Button, Popconfirm, Space, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useProblemLines } from '../errors.ts';
import { FieldsPanel } from '../fields/FieldsPanel.tsx';
import { LayoutEditor } from '../layout/LayoutEditor.tsx';
import { DESIGNER } from '../messages.ts';
import { FormPreview } from '../preview/FormPreview.tsx';
import { HistoryPanel } from '../publish/HistoryPanel.tsx';
import { PublishPanel } from '../publish/PublishPanel.tsx';
import { RulesPanel } from '../rules/RulesPanel.tsx';
import { ModuleSettings } from './ModuleSettings.tsx';
import { useModuleDraft } from './useModuleDraft.ts';

/** One module: its fields, layout, rules, live preview, publish and history, each in a tab. */
export function ModuleDesigner() {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const { message } = App.useApp();
  const problemLines = useProblemLines();
  const moduleId = useParams().module ?? '';
  const draft = useModuleDraft(moduleId);
  const [tab, setTab] = useState('fields');

  if (draft.loading) return <LoadingState />;
  if (draft.error || !draft.state || !draft.definition)
    return <ErrorState error={draft.error} status={404} />;
  const { state, definition } = draft;

  const save = async () => {
    try {
      await draft.save();
      message.success(t('draft.saved'));
    } catch {
      // shown below from saveError
    }
  };

  return (
    <div data-testid="module-designer">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Space>
          <Link to="/">{t('modules.title')}</Link>
          <span>/</span>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {localize(definition.label, definition.name)}
          </Typography.Title>
          <code>{definition.name}</code>
          {state.publishedVersion !== null && (
            <Tag color="green">{t('modules.version', { version: state.publishedVersion })}</Tag>
          )}
          {state.draft && <Tag color="gold">{t('modules.draft')}</Tag>}
        </Space>
        <Space>
          {draft.dirty && <Badge status="warning" text={t('draft.unsaved')} />}
          <Popconfirm title={t('draft.discardConfirm')} onConfirm={() => void draft.discard()}>
            <Button disabled={!draft.dirty && !state.draft} data-testid="discard-draft">
              {t('draft.discard')}
            </Button>
          </Popconfirm>
          <Button
            type="primary"
            onClick={() => void save()}
            loading={draft.saving}
            disabled={!draft.dirty}
            data-testid="save-draft"
          >
            {t('draft.save')}
          </Button>
        </Space>
      </Space>
      {draft.saveError ? (
        <Alert
          type="error"
          showIcon
          title={t('draft.saveFailed')}
          description={
            <ul style={{ margin: 0 }}>
              {problemLines(draft.saveError).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          }
          style={{ marginBottom: 8 }}
        />
      ) : null}
      {!draft.dirty && state.draftProblems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('draft.problems')}
          description={
            <ul style={{ margin: 0 }} data-testid="draft-problems">
              {state.draftProblems.map((p) => (
                <li key={`${p.pointer}-${p.code}`}>
                  <code>{p.pointer}</code> {localize(p.messages, p.detail ?? '')}
                </li>
              ))}
            </ul>
          }
          style={{ marginBottom: 8 }}
        />
      )}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'fields', label: t('tabs.fields'), children: <FieldsPanel draft={draft} /> },
          { key: 'layout', label: t('tabs.layout'), children: <LayoutEditor draft={draft} /> },
          { key: 'rules', label: t('tabs.rules'), children: <RulesPanel draft={draft} /> },
          { key: 'preview', label: t('tabs.preview'), children: <FormPreview definition={definition} /> },
          { key: 'settings', label: t('tabs.settings'), children: <ModuleSettings draft={draft} /> },
          { key: 'publish', label: t('tabs.publish'), children: <PublishPanel draft={draft} /> },
          { key: 'history', label: t('tabs.history'), children: <HistoryPanel draft={draft} /> },
        ]}
      />
    </div>
  );
}
