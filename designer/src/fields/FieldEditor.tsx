import { useLocalize } from '@crm/ui';
import { useQuery } from '@tanstack/react-query';
import { Card, Divider, Form, Input, InputNumber, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  designerApi,
  type FieldDefinition,
  type FieldTypeInfo,
  type JsonSchemaLike,
  type ModuleDefinition,
} from '../api.ts';
import { DESIGNER } from '../messages.ts';
import { API_NAME } from '../modules/names.ts';
import { FeelEditor } from '../rules/FeelEditor.tsx';
import { useCompletions } from '../rules/useCompletions.ts';
import { AutonumberPatternInput } from './AutonumberPatternInput.tsx';
import { FetchFromSetting } from './FetchFromSetting.tsx';
import { JsonSetting } from './JsonSetting.tsx';
import { LocaleTextInput } from './LocaleTextInput.tsx';
import { OptionsEditor } from './OptionsEditor.tsx';
import { RollupFilterInput, RollupSourceInput } from './RollupSourceInput.tsx';
import { RowFieldsEditor } from './RowFieldsEditor.tsx';
import { RowRulesEditor } from './RowRulesEditor.tsx';

/** FEEL settings every field may have (conditions of the form, a default). */
const CONDITIONS = ['visibleWhen', 'requiredWhen', 'readOnlyWhen'] as const;
/** Settings holding FEEL, edited with the FEEL editor. */
const FEEL_SETTINGS = new Set(['expression', 'filter']);

export interface FieldEditorProps {
  field: FieldDefinition;
  definition: ModuleDefinition;
  types: FieldTypeInfo[];
  onChange(field: FieldDefinition): void;
}

/** Every setting of one field: name, labels, flags, its type's own settings, conditions in FEEL. */
export function FieldEditor({ field, definition, types, onChange }: FieldEditorProps) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const type = types.find((x) => x.type === field.type);
  const completions = useCompletions(definition, field.type === 'formula' ? field.name : undefined);
  const target = { definition, ...(field.type === 'formula' ? { field: field.name } : {}) };
  const set = (key: string, value: unknown) => {
    const next: FieldDefinition = { ...field };
    if (value === undefined || value === '' || value === null) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  const properties = type?.settings.properties ?? {};
  const required = new Set(type?.settings.required ?? []);
  const nameValid = API_NAME.test(field.name);

  return (
    <Card
      size="small"
      title={`${localize(field.label, field.name)} · ${localize(type?.label, field.type)}`}
      data-testid="field-editor"
    >
      <Form layout="vertical" size="small">
        <Form.Item
          label={t('fields.name')}
          extra={t('fields.nameHelp')}
          validateStatus={nameValid ? undefined : 'error'}
          help={nameValid ? undefined : t('modules.nameInvalid')}
        >
          <Input value={field.name} onChange={(e) => set('name', e.target.value)} data-testid="field-name" />
        </Form.Item>
        <Form.Item label={t('fields.type')}>
          <Select
            value={field.type}
            onChange={(value) => set('type', value)}
            options={types.map((x) => ({ value: x.type, label: localize(x.label, x.type) }))}
            data-testid="field-type"
            showSearch={{ optionFilterProp: 'label' }}
          />
        </Form.Item>
        <LocaleTextInput
          label={t('fields.label')}
          value={field.label}
          onChange={(v) => set('label', v)}
          testId="field-label"
          required
        />
        <LocaleTextInput label={t('fields.help')} value={field.help} onChange={(v) => set('help', v)} />
        <LocaleTextInput
          label={t('fields.placeholder')}
          value={field.placeholder}
          onChange={(v) => set('placeholder', v)}
        />
        {!type?.computed && (
          <Form.Item>
            <Switch
              checked={field.required === true}
              onChange={(v) => set('required', v || undefined)}
              data-testid="field-required"
            />{' '}
            {t('fields.required')}
            <Switch
              style={{ marginLeft: 16 }}
              checked={field.unique === true}
              onChange={(v) => set('unique', v || undefined)}
            />{' '}
            {t('fields.unique')}
            <Switch
              style={{ marginLeft: 16 }}
              checked={field.indexed === true}
              onChange={(v) => set('indexed', v || undefined)}
            />{' '}
            {t('fields.indexed')}
          </Form.Item>
        )}
        {Object.keys(properties).length > 0 && <Divider plain>{t('fields.typeSettings')}</Divider>}
        {Object.entries(properties).map(([key, schema]) => (
          <Form.Item key={key} label={settingLabel(t, field.type, key)} required={required.has(key)}>
            <SettingInput
              name={key}
              schema={schema}
              value={field[key]}
              onChange={(v) => set(key, v)}
              field={field}
              definition={definition}
              types={types}
              feel={FEEL_SETTINGS.has(key) ? { target, completions } : undefined}
            />
          </Form.Item>
        ))}
        <FetchFromSetting field={field} definition={definition} onChange={(v) => set('fetchFrom', v)} />
        <Divider plain>{t('fields.conditions')}</Divider>
        {!type?.computed && (
          <Form.Item label={t('fields.defaultValue')} extra={t('fields.defaultHelp')}>
            <FeelEditor
              value={typeof field.defaultValue === 'string' ? field.defaultValue : ''}
              onChange={(v) => set('defaultValue', v)}
              target={{ definition }}
              completions={completions}
            />
          </Form.Item>
        )}
        {CONDITIONS.map((key) => (
          <Form.Item key={key} label={t(`fields.${key}`)}>
            <FeelEditor
              value={typeof field[key] === 'string' ? (field[key] as string) : ''}
              onChange={(v) => set(key, v)}
              target={{ definition }}
              completions={completions}
              placeholder={t('fields.conditionPlaceholder')}
            />
          </Form.Item>
        ))}
      </Form>
    </Card>
  );
}

/** The label of a setting: the type's own wording (`settings.autonumber_pattern`) or the shared one. */
function settingLabel(t: (key: string) => string, type: string, key: string): string {
  for (const id of [`settings.${type}_${key}`, `settings.${key}`]) {
    const text = t(id);
    if (text !== id) return text;
  }
  return key;
}

interface SettingInputProps {
  name: string;
  schema: JsonSchemaLike;
  value: unknown;
  onChange(value: unknown): void;
  /** The field the setting belongs to. */
  field: FieldDefinition;
  definition: ModuleDefinition;
  types: FieldTypeInfo[];
  feel?: {
    target: { definition: ModuleDefinition; field?: string };
    completions: ReturnType<typeof useCompletions>;
  };
}

/** An input for one setting of a field type, chosen from the setting's JSON Schema. */
function SettingInput({ name, schema, value, onChange, field, definition, types, feel }: SettingInputProps) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const modules = useQuery({ queryKey: ['designer', 'modules'], queryFn: designerApi.modules });
  const testId = `setting-${name}`;
  if (name === 'filter' && field.type === 'rollup')
    return <RollupFilterInput field={field} definition={definition} onChange={onChange} />;
  if (feel) {
    return (
      <FeelEditor
        value={typeof value === 'string' ? value : ''}
        onChange={onChange}
        target={feel.target}
        completions={feel.completions}
        testId={testId}
        minLines={2}
      />
    );
  }
  if (name === 'fields' && field.type === 'subtable') {
    return <RowFieldsEditor subtable={field} definition={definition} types={types} onChange={onChange} />;
  }
  if (name === 'rules' && field.type === 'subtable')
    return <RowRulesEditor subtable={field} definition={definition} onChange={onChange} />;
  if (name === 'pattern' && field.type === 'autonumber') {
    return (
      <AutonumberPatternInput
        value={typeof value === 'string' ? value : undefined}
        start={typeof field.start === 'number' ? field.start : undefined}
        onChange={onChange}
      />
    );
  }
  if (name === 'watch' && field.type === 'changedAt') {
    return (
      <Select
        mode="multiple"
        value={Array.isArray(value) ? (value as string[]) : []}
        onChange={(names: string[]) => onChange(names.length > 0 ? names : undefined)}
        options={definition.fields
          .filter((f) => f !== field && f.type !== 'changedAt')
          .map((f) => ({ value: f.name, label: `${localize(f.label, f.name)} (${f.name})` }))}
        data-testid={testId}
      />
    );
  }
  if ((name === 'over' || name === 'field') && field.type === 'rollup')
    return <RollupSourceInput name={name} field={field} definition={definition} onChange={onChange} />;
  if (name === 'options')
    return <OptionsEditor value={Array.isArray(value) ? value : []} onChange={onChange} />;
  if (name === 'target') {
    return (
      <Select
        value={value as string | undefined}
        onChange={onChange}
        data-testid={testId}
        options={(modules.data ?? []).map((m) => ({
          value: m.id,
          label: `${localize(m.label, m.name)} (${m.name})`,
        }))}
      />
    );
  }
  if (name === 'inverse') {
    const inverse = (value ?? {}) as { name?: string; label?: Record<string, string> };
    return (
      <>
        <Input
          addonBefore={t('fields.inverseName')}
          placeholder={t('fields.inverseNameHelp')}
          value={inverse.name ?? ''}
          onChange={(e) => onChange({ ...inverse, name: e.target.value })}
          style={{ marginBottom: 4 }}
          data-testid="setting-inverse-name"
        />
        <LocaleTextInput
          value={inverse.label}
          onChange={(label) => onChange({ ...inverse, label })}
          testId="setting-inverse-label"
        />
      </>
    );
  }
  if (schema.enum) {
    return (
      <Select
        allowClear
        value={value as string | undefined}
        onChange={onChange}
        options={schema.enum.map((v) => ({
          value: v as string,
          label: t(`enums.${name}.${String(v)}`, { defaultValue: String(v) }),
        }))}
        data-testid={testId}
      />
    );
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'integer' || type === 'number') {
    return (
      <InputNumber
        value={typeof value === 'number' ? value : null}
        min={schema.minimum}
        max={schema.maximum}
        precision={type === 'integer' ? 0 : undefined}
        onChange={(v) => onChange(v ?? undefined)}
        data-testid={testId}
      />
    );
  }
  if (type === 'boolean')
    return (
      <Switch checked={value === true} onChange={(v) => onChange(v || undefined)} data-testid={testId} />
    );
  if (type === 'string') {
    return (
      <Input
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      />
    );
  }
  if (type === 'array' && schema.items && (schema.items.type === 'string' || schema.items.pattern)) {
    return (
      <Select
        mode="tags"
        value={Array.isArray(value) ? (value as string[]) : []}
        onChange={(v) => onChange(v.length > 0 ? v : undefined)}
        data-testid={testId}
      />
    );
  }
  return (
    <>
      <JsonSetting value={value} onChange={onChange} testId={testId} />
      <Typography.Text type="secondary">{name}</Typography.Text>
    </>
  );
}
