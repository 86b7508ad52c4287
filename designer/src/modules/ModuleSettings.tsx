import { useLocalize } from '@crm/ui';
import { Card, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { LocaleTextInput } from '../fields/LocaleTextInput.tsx';
import { DESIGNER } from '../messages.ts';
import { ListViewSettings } from './ListViewSettings.tsx';
import { API_NAME } from './names.ts';
import { PoolSettings } from './PoolSettings.tsx';
import type { ModuleDraft } from './useModuleDraft.ts';

/**
 * The module's own settings: name (a rename renames the table at publish), labels, title field, icon;
 * then how its records are listed, and its customer pool.
 */
export function ModuleSettings({ draft }: { draft: ModuleDraft }) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const definition = draft.definition;
  if (!definition) return null;
  const set = (key: string, value: unknown) =>
    draft.update((d) => {
      const next = { ...d } as Record<string, unknown>;
      if (value === undefined || value === '') delete next[key];
      else next[key] = value;
      return next as unknown as typeof d;
    });
  const nameValid = API_NAME.test(definition.name);
  return (
    <>
      <Card size="small" style={{ maxWidth: 720 }} data-testid="module-settings">
        <Form layout="vertical">
          <Form.Item
            label={t('modules.name')}
            extra={t('modules.renameHelp')}
            validateStatus={nameValid ? undefined : 'error'}
            help={nameValid ? undefined : t('modules.nameInvalid')}
          >
            <Input
              value={definition.name}
              onChange={(e) => set('name', e.target.value)}
              data-testid="module-rename"
            />
          </Form.Item>
          <LocaleTextInput
            label={t('modules.label')}
            value={definition.label}
            onChange={(v) => set('label', v)}
            required
            testId="module-label"
          />
          <LocaleTextInput
            label={t('modules.pluralLabel')}
            value={definition.pluralLabel}
            onChange={(v) => set('pluralLabel', v)}
          />
          <LocaleTextInput
            label={t('modules.description')}
            value={definition.description}
            onChange={(v) => set('description', v)}
          />
          <Form.Item label={t('modules.titleField')}>
            <Select
              allowClear
              value={definition.titleField}
              onChange={(v) => set('titleField', v)}
              options={definition.fields.map((f) => ({
                value: f.name,
                label: `${localize(f.label, f.name)} (${f.name})`,
              }))}
            />
          </Form.Item>
          <Form.Item label={t('modules.icon')}>
            <Input value={definition.icon ?? ''} onChange={(e) => set('icon', e.target.value)} />
          </Form.Item>
        </Form>
      </Card>
      <ListViewSettings draft={draft} />
      <PoolSettings draft={draft} />
    </>
  );
}
