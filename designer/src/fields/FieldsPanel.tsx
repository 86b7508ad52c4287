import { PlusOutlined } from '@ant-design/icons';
import { useLocalize } from '@crm/ui';
import { arrayMove } from '@dnd-kit/sortable';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Dropdown, Empty, Row } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { designerApi, type FieldTypeInfo } from '../api.ts';
import { DESIGNER } from '../messages.ts';
import type { ModuleDraft } from '../modules/useModuleDraft.ts';
import { FieldEditor } from './FieldEditor.tsx';
import { FieldList, fieldKey } from './FieldList.tsx';
import { newField, removeFieldEverywhere } from './field-edits.ts';

export function useFieldTypes() {
  return useQuery({
    queryKey: ['designer', 'field-types'],
    queryFn: designerApi.fieldTypes,
    staleTime: Infinity,
  });
}

/** The module's fields in order (drag to reorder), a field's settings beside them, and adding fields. */
export function FieldsPanel({ draft }: { draft: ModuleDraft }) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const types = useFieldTypes();
  const definition = draft.definition;
  const [selected, setSelected] = useState<string | undefined>(
    definition?.fields[0]?.id ?? definition?.fields[0]?.name,
  );
  if (!definition) return null;
  const keys = definition.fields.map(fieldKey);
  const current = keys.indexOf(selected ?? '');

  const add = (type: FieldTypeInfo) => {
    const field = newField(type, definition, localize(type.label, type.type));
    draft.update((d) => ({ ...d, fields: [...d.fields, field] }));
    setSelected(field.id);
  };

  return (
    <Row gutter={16}>
      <Col xs={24} md={9}>
        <Card
          size="small"
          title={t('fields.title', { count: definition.fields.length })}
          extra={
            <Dropdown
              trigger={['click']}
              menu={{
                items: (types.data ?? []).map((type) => ({
                  key: type.type,
                  label: <span data-testid={`add-type-${type.type}`}>{localize(type.label, type.type)}</span>,
                  onClick: () => add(type),
                })),
                style: { maxHeight: 420, overflowY: 'auto' },
              }}
            >
              <Button type="primary" size="small" icon={<PlusOutlined />} data-testid="add-field">
                {t('fields.add')}
              </Button>
            </Dropdown>
          }
        >
          <FieldList
            fields={definition.fields}
            types={types.data ?? []}
            selected={selected}
            onSelect={setSelected}
            onMove={(from, to) => draft.update((d) => ({ ...d, fields: arrayMove(d.fields, from, to) }))}
            onRemove={(field) => draft.update((d) => removeFieldEverywhere(d, field.name))}
            testIdPrefix="field-item"
          />
        </Card>
      </Col>
      <Col xs={24} md={15}>
        {current >= 0 ? (
          <FieldEditor
            key={keys[current]}
            field={definition.fields[current]}
            definition={definition}
            types={types.data ?? []}
            onChange={(field) =>
              draft.update((d) => {
                const old = d.fields[current];
                const fields = d.fields.map((f, i) => (i === current ? field : f));
                return renameInLayout({ ...d, fields }, old.name, field.name);
              })
            }
          />
        ) : (
          <Empty description={t('fields.pick')} />
        )}
      </Col>
    </Row>
  );
}

/** A renamed field keeps its place in the layout and stays the title field. */
function renameInLayout<D extends { layout?: { sections: { fields: string[] }[] }; titleField?: string }>(
  definition: D,
  from: string,
  to: string,
): D {
  if (from === to) return definition;
  return {
    ...definition,
    ...(definition.titleField === from ? { titleField: to } : {}),
    ...(definition.layout
      ? {
          layout: {
            ...definition.layout,
            sections: definition.layout.sections.map((s) => ({
              ...s,
              fields: s.fields.map((f) => (f === from ? to : f)),
            })),
          },
        }
      : {}),
  };
}
