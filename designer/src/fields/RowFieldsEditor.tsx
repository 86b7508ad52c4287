import { PlusOutlined } from '@ant-design/icons';
import { NOT_IN_ROWS } from '@crm/engine/browser';
import { RecordForm, useLocale, useLocalize } from '@crm/ui';
import { arrayMove } from '@dnd-kit/sortable';
import { Alert, Button, Card, Dropdown, Empty, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldDefinition, FieldTypeInfo, ModuleDefinition } from '../api.ts';
import { DESIGNER } from '../messages.ts';
import { useCompiledForm } from '../preview/compile.ts';
import { FieldEditor } from './FieldEditor.tsx';
import { FieldList, fieldKey } from './FieldList.tsx';
import { newField } from './field-edits.ts';

export interface RowFieldsEditorProps {
  /** The sub-table field whose row fields are edited. */
  subtable: FieldDefinition;
  definition: ModuleDefinition;
  types: FieldTypeInfo[];
  onChange(rows: FieldDefinition[]): void;
}

/**
 * A sub-table's row fields with the same editor as the module's fields (add, remove, reorder, every
 * setting of the row field's type), and the grid as the form will show it.
 */
export function RowFieldsEditor({ subtable, definition, types, onChange }: RowFieldsEditorProps) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const rows = Array.isArray(subtable.fields) ? (subtable.fields as FieldDefinition[]) : [];
  const [selected, setSelected] = useState<string | undefined>(rows[0] ? fieldKey(rows[0], 0) : undefined);
  const rowTypes = useMemo(() => types.filter((type) => !NOT_IN_ROWS.has(type.type)), [types]);
  // row formulas, defaults and conditions read the row's fields: they are the scope of the nested editor
  const rowScope: ModuleDefinition = { ...definition, fields: rows, layout: undefined, rules: undefined };
  const keys = rows.map(fieldKey);
  const current = keys.indexOf(selected ?? '');

  const add = (type: FieldTypeInfo) => {
    const field = newField(type, rowScope, localize(type.label, type.type));
    onChange([...rows, field]);
    setSelected(fieldKey(field, rows.length));
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="row-fields">
      <Card
        size="small"
        type="inner"
        title={t('rows.title', { count: rows.length })}
        extra={
          <Dropdown
            trigger={['click']}
            menu={{
              items: rowTypes.map((type) => ({
                key: type.type,
                label: (
                  <span data-testid={`add-row-type-${type.type}`}>{localize(type.label, type.type)}</span>
                ),
                onClick: () => add(type),
              })),
              style: { maxHeight: 420, overflowY: 'auto' },
            }}
          >
            <Button size="small" icon={<PlusOutlined />} data-testid="add-row-field">
              {t('rows.add')}
            </Button>
          </Dropdown>
        }
      >
        {rows.length === 0 ? (
          <Empty description={t('rows.none')} />
        ) : (
          <FieldList
            fields={rows}
            types={rowTypes}
            selected={selected}
            onSelect={setSelected}
            onMove={(from, to) => onChange(arrayMove(rows, from, to))}
            onRemove={(field) => onChange(rows.filter((f) => f !== field))}
            testIdPrefix="row-field-item"
          />
        )}
      </Card>
      {current >= 0 && (
        <FieldEditor
          key={keys[current]}
          field={rows[current]}
          definition={rowScope}
          types={rowTypes}
          onChange={(field) => onChange(rows.map((f, i) => (i === current ? field : f)))}
        />
      )}
      <GridPreview subtable={{ ...subtable, fields: rows }} definition={definition} />
    </Space>
  );
}

/** The sub-table alone, compiled and rendered as the record form renders it: its grid with a column a field. */
function GridPreview({ subtable, definition }: { subtable: FieldDefinition; definition: ModuleDefinition }) {
  const { t } = useTranslation(DESIGNER);
  const locale = useLocale();
  const alone = useMemo(
    (): ModuleDefinition => ({
      ...definition,
      fields: [subtable],
      layout: undefined,
      rules: undefined,
      titleField: undefined,
    }),
    [definition, subtable],
  );
  const { compiled, services } = useCompiledForm(alone, locale);
  return (
    <Card size="small" type="inner" title={t('rows.preview')} data-testid="row-grid-preview">
      {'error' in compiled ? (
        <Alert type="warning" showIcon title={t('preview.invalid')} description={compiled.error} />
      ) : (
        <>
          <RecordForm
            module={definition.name}
            jsonSchema={compiled.jsonSchema}
            uiSchema={compiled.uiSchema}
            locale={locale}
            services={services}
            record={{}}
            onChange={() => {}}
          />
          <Typography.Text type="secondary">{t('rows.previewHelp')}</Typography.Text>
        </>
      )}
    </Card>
  );
}
