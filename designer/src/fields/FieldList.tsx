import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, HolderOutlined } from '@ant-design/icons';
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
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Button, List, Popconfirm, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldDefinition, FieldTypeInfo } from '../api.ts';
import { DESIGNER } from '../messages.ts';

/** The key a field keeps in a list while it is edited (new fields have no id until they get one). */
export function fieldKey(field: FieldDefinition, index: number): string {
  return field.id ?? `new-${index}-${field.name}`;
}

export interface FieldListProps {
  fields: FieldDefinition[];
  types: FieldTypeInfo[];
  selected: string | undefined;
  onSelect(key: string): void;
  /** Moves the field at `from` to `to` (drag and drop, or the move up/down buttons). */
  onMove(from: number, to: number): void;
  onRemove(field: FieldDefinition): void;
  /** Prefix of each item's test id: `<prefix>-<field name>`. */
  testIdPrefix: string;
}

/**
 * Fields in order: drag a field's handle to reorder, or (on a keyboard) its move up / move down buttons;
 * click one to select it, remove it after a confirmation.
 */
export function FieldList({
  fields,
  types,
  selected,
  onSelect,
  onMove,
  onRemove,
  testIdPrefix,
}: FieldListProps) {
  const localize = useLocalize();
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const keys = fields.map(fieldKey);
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    onMove(keys.indexOf(String(active.id)), keys.indexOf(String(over.id)));
  };
  const typeLabel = (type: string) => {
    const found = types.find((x) => x.type === type);
    return found ? localize(found.label, type) : type;
  };
  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
      <SortableContext items={keys} strategy={verticalListSortingStrategy}>
        <List
          size="small"
          dataSource={fields}
          renderItem={(field, index) => (
            <SortableField
              id={keys[index]}
              selected={keys[index] === selected}
              onSelect={() => onSelect(keys[index])}
              label={localize(field.label, field.name)}
              name={field.name}
              type={typeLabel(field.type)}
              required={field.required === true}
              onMoveUp={index > 0 ? () => onMove(index, index - 1) : undefined}
              onMoveDown={index < fields.length - 1 ? () => onMove(index, index + 1) : undefined}
              onRemove={() => onRemove(field)}
              testId={`${testIdPrefix}-${field.name}`}
            />
          )}
        />
      </SortableContext>
    </DndContext>
  );
}

interface SortableFieldProps {
  id: string;
  selected: boolean;
  onSelect(): void;
  label: string;
  name: string;
  type: string;
  required: boolean;
  onMoveUp: (() => void) | undefined;
  onMoveDown: (() => void) | undefined;
  onRemove(): void;
  testId: string;
}

function SortableField({
  id,
  selected,
  onSelect,
  label,
  name,
  type,
  required,
  onMoveUp,
  onMoveDown,
  onRemove,
  testId,
}: SortableFieldProps) {
  const { t } = useTranslation(DESIGNER);
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id });
  // the buttons act on this field only: a click on them must not select it as well
  const only = (action: (() => void) | undefined) => (event: React.MouseEvent) => {
    event.stopPropagation();
    action?.();
  };
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
      data-testid={testId}
      actions={[
        <Button
          key="up"
          size="small"
          type="text"
          icon={<ArrowUpOutlined />}
          disabled={!onMoveUp}
          onClick={only(onMoveUp)}
          aria-label={t('fields.moveUp', { label })}
          title={t('fields.moveUp', { label })}
        />,
        <Button
          key="down"
          size="small"
          type="text"
          icon={<ArrowDownOutlined />}
          disabled={!onMoveDown}
          onClick={only(onMoveDown)}
          aria-label={t('fields.moveDown', { label })}
          title={t('fields.moveDown', { label })}
        />,
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
