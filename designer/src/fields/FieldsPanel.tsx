import { DeleteOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import { useLocalize } from '@crm/ui';
import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import {
  arrayMove,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Dropdown, Empty, List, Popconfirm, Row, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { designerApi, type FieldDefinition, type FieldTypeInfo } from '../api.ts';
import { DESIGNER } from '../messages.ts';
import type { ModuleDraft } from '../modules/useModuleDraft.ts';
import { FieldEditor } from './FieldEditor.tsx';
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
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  if (!definition) return null;
  const keyOf = (field: FieldDefinition, index: number) => field.id ?? `new-${index}-${field.name}`;
  const keys = definition.fields.map(keyOf);
  const current = definition.fields.findIndex((f, i) => keyOf(f, i) === selected);

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    draft.update((d) => ({
      ...d,
      fields: arrayMove(d.fields, keys.indexOf(String(active.id)), keys.indexOf(String(over.id))),
    }));
  };

  const add = (type: FieldTypeInfo) => {
    const field = newField(type, definition, localize(type.label, type.type));
    draft.update((d) => ({ ...d, fields: [...d.fields, field] }));
    setSelected(field.id);
  };

  const typeLabel = (type: string) => {
    const found = types.data?.find((x) => x.type === type);
    return found ? localize(found.label, type) : type;
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
          <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
            <SortableContext items={keys} strategy={verticalListSortingStrategy}>
              <List
                size="small"
                dataSource={definition.fields}
                renderItem={(field, index) => (
                  <SortableField
                    id={keys[index]}
                    selected={keys[index] === selected}
                    onSelect={() => setSelected(keys[index])}
                    label={localize(field.label, field.name)}
                    name={field.name}
                    type={typeLabel(field.type)}
                    required={field.required === true}
                    onRemove={() => draft.update((d) => removeFieldEverywhere(d, field.name))}
                  />
                )}
              />
            </SortableContext>
          </DndContext>
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

interface SortableFieldProps {
  id: string;
  selected: boolean;
  onSelect(): void;
  label: string;
  name: string;
  type: string;
  required: boolean;
  onRemove(): void;
}

function SortableField({
  id,
  selected,
  onSelect,
  label,
  name,
  type,
  required,
  onRemove,
}: SortableFieldProps) {
  const { t } = useTranslation(DESIGNER);
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id });
  return (
    <List.Item
      ref={setNodeRef}
      style={{
        transform: CSS.Transform.toString(transform),
        transition,
        opacity: isDragging ? 0.5 : 1,
        background: selected ? 'var(--ant-color-primary-bg, #e6f4ff)' : undefined,
        cursor: 'pointer',
        paddingInline: 8,
      }}
      onClick={onSelect}
      data-testid={`field-item-${name}`}
      actions={[
        <Popconfirm key="remove" title={t('fields.removeConfirm')} onConfirm={onRemove}>
          <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('fields.remove')} />
        </Popconfirm>,
      ]}
    >
      <button
        type="button"
        {...attributes}
        {...listeners}
        style={{ cursor: 'grab', marginRight: 8, border: 'none', background: 'none', padding: 0 }}
        aria-label={t('fields.drag')}
      >
        <HolderOutlined />
      </button>
      <span style={{ flex: 1 }}>
        {label} {required && <span style={{ color: '#cf1322' }}>*</span>}
        <br />
        <code style={{ fontSize: 12 }}>{name}</code>
      </span>
      <Tag>{type}</Tag>
    </List.Item>
  );
}
