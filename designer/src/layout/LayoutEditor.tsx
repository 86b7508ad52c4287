import { DeleteOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import { newId } from '@crm/engine/browser';
import { useLocalize } from '@crm/ui';
import {
  closestCorners,
  DndContext,
  type DragEndEvent,
  type DragOverEvent,
  KeyboardSensor,
  PointerSensor,
  useDroppable,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import {
  arrayMove,
  rectSortingStrategy,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Alert, Button, Card, Col, Row, Select, Space, Switch, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldDefinition, ModuleDefinition } from '../api.ts';
import { LocaleTextInput } from '../fields/LocaleTextInput.tsx';
import { DESIGNER } from '../messages.ts';
import type { ModuleDraft } from '../modules/useModuleDraft.ts';

type Section = NonNullable<ModuleDefinition['layout']>['sections'][number];

/** Fields not placed in any section, as a container of their own. */
const UNPLACED = '__unplaced__';

/**
 * The form's layout: sections (label, 1–4 columns, collapsed) holding fields in order. Drag a field
 * within a section, to another section, or back to "not placed" (it then follows the sections).
 */
export function LayoutEditor({ draft }: { draft: ModuleDraft }) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const definition = draft.definition;
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  if (!definition) return null;
  const sections = definition.layout?.sections ?? [];
  const placed = new Set(sections.flatMap((s) => s.fields));
  const unplaced = definition.fields.map((f) => f.name).filter((n) => !placed.has(n));
  const byName = new Map(definition.fields.map((f) => [f.name, f]));
  const containers: Record<string, string[]> = Object.fromEntries([
    ...sections.map((s) => [s.id, s.fields] as const),
    [UNPLACED, unplaced] as const,
  ]);
  const containerOf = (id: string) =>
    id in containers ? id : Object.keys(containers).find((key) => containers[key].includes(id));

  const setSections = (next: Section[]) =>
    draft.update((d) => ({
      ...d,
      layout: next.length > 0 ? { ...(d.layout ?? {}), sections: next } : undefined,
    }));

  const moveBetween = (field: string, from: string, to: string, index: number) => {
    const next = sections.map((s) => {
      let fields = s.fields.filter((f) => !(s.id === from && f === field));
      if (s.id === to) {
        fields = [...fields];
        fields.splice(Math.min(index, fields.length), 0, field);
      }
      return { ...s, fields };
    });
    setSections(next);
  };

  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (!over) return;
    const from = containerOf(String(active.id));
    const to = containerOf(String(over.id));
    if (!from || !to || from === to) return;
    const overIndex = containers[to].indexOf(String(over.id));
    moveBetween(String(active.id), from, to, overIndex < 0 ? containers[to].length : overIndex);
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over) return;
    const container = containerOf(String(active.id));
    if (!container || container === UNPLACED || container !== containerOf(String(over.id))) return;
    const list = containers[container];
    const from = list.indexOf(String(active.id));
    const to = list.indexOf(String(over.id));
    if (from < 0 || to < 0 || from === to) return;
    setSections(
      sections.map((s) => (s.id === container ? { ...s, fields: arrayMove(s.fields, from, to) } : s)),
    );
  };

  const addSection = () =>
    setSections([
      ...sections,
      {
        id: newId('sec'),
        label: { en: `Section ${sections.length + 1}`, 'zh-CN': `分区 ${sections.length + 1}` },
        columns: 2,
        fields: sections.length === 0 ? unplaced : [],
      },
    ]);

  const change = (id: string, patch: Partial<Section>) =>
    setSections(sections.map((s) => (s.id === id ? { ...s, ...patch } : s)));

  return (
    <div data-testid="layout-editor">
      <Space style={{ marginBottom: 12 }}>
        <Button icon={<PlusOutlined />} onClick={addSection} data-testid="add-section">
          {t('layout.addSection')}
        </Button>
      </Space>
      {sections.length === 0 && (
        <Alert type="info" showIcon title={t('layout.none')} style={{ marginBottom: 12 }} />
      )}
      <DndContext
        sensors={sensors}
        collisionDetection={closestCorners}
        onDragOver={onDragOver}
        onDragEnd={onDragEnd}
      >
        {sections.map((section) => (
          <Card
            key={section.id}
            size="small"
            style={{ marginBottom: 12 }}
            data-testid={`section-${section.id}`}
            title={
              <LocaleTextInput
                value={section.label}
                onChange={(label) => change(section.id, { label: label ?? undefined })}
              />
            }
            extra={
              <Space>
                <Select
                  size="small"
                  value={section.columns ?? 1}
                  onChange={(columns) => change(section.id, { columns })}
                  options={[1, 2, 3, 4].map((n) => ({ value: n, label: t('layout.columns', { count: n }) }))}
                  data-testid="section-columns"
                />
                <Switch
                  size="small"
                  checked={section.collapsed === true}
                  onChange={(collapsed) => change(section.id, { collapsed: collapsed || undefined })}
                />
                {t('layout.collapsed')}
                <Button
                  size="small"
                  danger
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t('layout.removeSection')}
                  onClick={() => setSections(sections.filter((s) => s.id !== section.id))}
                />
              </Space>
            }
          >
            <FieldGrid
              id={section.id}
              fields={section.fields}
              columns={section.columns ?? 1}
              byName={byName}
              localize={localize}
            />
          </Card>
        ))}
        <Card size="small" title={t('layout.unplaced')} type="inner">
          <FieldGrid id={UNPLACED} fields={unplaced} columns={4} byName={byName} localize={localize} />
        </Card>
      </DndContext>
    </div>
  );
}

interface FieldGridProps {
  id: string;
  fields: string[];
  columns: number;
  byName: Map<string, FieldDefinition>;
  localize: (label: Record<string, string> | undefined, fallback?: string) => string;
}

function FieldGrid({ id, fields, columns, byName, localize }: FieldGridProps) {
  const { setNodeRef } = useDroppable({ id });
  return (
    <SortableContext id={id} items={fields} strategy={rectSortingStrategy}>
      <div ref={setNodeRef} style={{ minHeight: 40 }}>
        <Row gutter={[8, 8]}>
          {fields.map((name) => (
            <Col key={name} span={24 / columns}>
              <FieldChip
                name={name}
                label={localize(byName.get(name)?.label, name)}
                type={byName.get(name)?.type}
              />
            </Col>
          ))}
        </Row>
      </div>
    </SortableContext>
  );
}

function FieldChip({ name, label, type }: { name: string; label: string; type?: string }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: name });
  return (
    <div
      ref={setNodeRef}
      {...attributes}
      {...listeners}
      data-testid={`layout-field-${name}`}
      style={{
        transform: CSS.Transform.toString(transform),
        transition,
        opacity: isDragging ? 0.5 : 1,
        border: '1px dashed #bfbfbf',
        borderRadius: 6,
        padding: '6px 8px',
        background: '#fff',
        cursor: 'grab',
      }}
    >
      <HolderOutlined /> {label} <Tag style={{ float: 'right' }}>{type}</Tag>
    </div>
  );
}
