import type {
  ArrayFieldItemTemplateProps,
  ArrayFieldTemplateProps,
  FieldTemplateProps,
  ObjectFieldTemplateProps,
} from '@rjsf/utils';
import { Form as AntForm, Button, Col, Collapse, Row, Space, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { formContextOf } from './context.ts';

interface Section {
  id: string;
  title: string | null;
  columns: number;
  collapsed: boolean;
  fields: string[];
}

/** Where a field sits: the record itself (depth 1), a sub-table (depth 1 too) or a cell of its rows (depth 3). */
function depthOf(props: { fieldPathId?: { path?: readonly unknown[] } }): number {
  return props.fieldPathId?.path?.length ?? 0;
}

/** A field with its label, required mark, help and errors; inside a sub-table row only the editor and errors. */
export function FieldTemplate(props: FieldTemplateProps) {
  const depth = depthOf(props);
  const name = String(props.fieldPathId?.path?.[0] ?? '');
  const { conditions } = formContextOf(props.registry);
  if (props.hidden || (depth === 1 && conditions.hidden.includes(name))) return null;
  // the record itself, and each row of a sub-table (its cells are laid out by the grid)
  if (depth === 0 || depth === 2) return <>{props.children}</>;
  const errors = props.rawErrors ?? [];
  if (depth >= 3) {
    return (
      <AntForm.Item
        style={{ marginBottom: 0 }}
        validateStatus={errors.length > 0 ? 'error' : undefined}
        help={errors.length > 0 ? errors.join('; ') : undefined}
      >
        {props.children}
      </AntForm.Item>
    );
  }
  return (
    <AntForm.Item
      label={props.label}
      htmlFor={props.id}
      required={props.required}
      layout="vertical"
      validateStatus={errors.length > 0 ? 'error' : undefined}
      help={errors.length > 0 ? errors.join('; ') : undefined}
      extra={props.rawHelp}
      style={{ marginBottom: 16 }}
    >
      {props.children}
    </AntForm.Item>
  );
}

/** The record: its sections, each with the fields in 1 to 4 columns (one on a phone); a row of a sub-table: its cells. */
export function ObjectFieldTemplate(props: ObjectFieldTemplateProps) {
  const depth = depthOf(props);
  const byName = new Map(props.properties.map((p) => [p.name, p]));
  if (depth > 0) {
    const visible = props.properties.filter((p) => !p.hidden && p.name !== 'id');
    return (
      <div className="crm-subtable-row" style={{ display: 'contents' }}>
        {visible.map((p) => (
          <div key={p.name} className="crm-subtable-cell">
            {p.content}
          </div>
        ))}
        {props.properties.filter((p) => p.name === 'id').map((p) => p.content)}
      </div>
    );
  }
  const layout = props.uiSchema?.['ui:layout'] as { sections: Section[] } | undefined;
  const sections = layout?.sections ?? [
    { id: '_all', title: null, columns: 2, collapsed: false, fields: props.properties.map((p) => p.name) },
  ];
  const { conditions } = formContextOf(props.registry);
  const hidden = new Set(conditions.hidden);
  const wide = (name: string) => {
    const ui = props.uiSchema?.[name] as { 'ui:widget'?: string; items?: unknown } | undefined;
    return ui?.['ui:widget'] === 'textarea' || ui?.items !== undefined;
  };
  const body = (section: Section): ReactNode => (
    <Row gutter={16}>
      {section.fields
        .filter((name) => byName.has(name) && !hidden.has(name))
        .map((name) => (
          <Col key={name} xs={24} md={wide(name) ? 24 : Math.floor(24 / Math.max(1, section.columns))}>
            {byName.get(name)?.content}
          </Col>
        ))}
    </Row>
  );
  return (
    <div className="crm-form-sections">
      {sections.map((section) =>
        section.title ? (
          <Collapse
            key={section.id}
            defaultActiveKey={section.collapsed ? [] : [section.id]}
            style={{ marginBottom: 16 }}
            items={[{ key: section.id, label: section.title, children: body(section), forceRender: true }]}
          />
        ) : (
          <div key={section.id}>{body(section)}</div>
        ),
      )}
    </div>
  );
}

/** A sub-table as an editable grid: a header of the row fields, a line per row, add at the bottom. */
export function ArrayFieldTemplate(props: ArrayFieldTemplateProps) {
  const { text } = formContextOf(props.registry);
  const rowSchema = (props.schema.items ?? {}) as { properties?: Record<string, { title?: string }> };
  const rowUi = (props.uiSchema?.items ?? {}) as { 'ui:order'?: string[] };
  const columns = (rowUi['ui:order'] ?? Object.keys(rowSchema.properties ?? {})).filter(
    (name) => name !== '*' && name !== 'id' && rowSchema.properties?.[name],
  );
  const template = `repeat(${columns.length}, minmax(140px, 1fr)) 112px`;
  return (
    <div className="crm-subtable" id={props.fieldPathId?.$id}>
      <div style={{ overflowX: 'auto' }}>
        <div
          style={{
            display: 'grid',
            gridTemplateColumns: template,
            gap: 8,
            alignItems: 'start',
            minWidth: 'min-content',
          }}
        >
          {columns.map((name) => (
            <Typography.Text key={name} strong>
              {rowSchema.properties?.[name]?.title ?? name}
            </Typography.Text>
          ))}
          <Typography.Text strong>{text.actions}</Typography.Text>
          {props.items}
        </div>
        {props.items.length === 0 ? <Typography.Text type="secondary">{text.noRows}</Typography.Text> : null}
      </div>
      {props.canAdd && !props.readonly && !props.disabled ? (
        <Button style={{ marginTop: 8 }} onClick={props.onAddClick}>
          {text.addRow}
        </Button>
      ) : null}
    </div>
  );
}

/** One row of the grid: its cells, then move up, move down and remove. */
export function ArrayFieldItemTemplate(props: ArrayFieldItemTemplateProps) {
  const { text } = formContextOf(props.registry);
  const buttons = props.buttonsProps;
  return (
    <>
      {props.children}
      <Space size={4}>
        <Tooltip title={text.moveUp}>
          <Button
            size="small"
            aria-label={`${text.moveUp} ${props.index + 1}`}
            disabled={!buttons.hasMoveUp}
            onClick={buttons.onMoveUpItem}
          >
            ↑
          </Button>
        </Tooltip>
        <Tooltip title={text.moveDown}>
          <Button
            size="small"
            aria-label={`${text.moveDown} ${props.index + 1}`}
            disabled={!buttons.hasMoveDown}
            onClick={buttons.onMoveDownItem}
          >
            ↓
          </Button>
        </Tooltip>
        <Tooltip title={text.removeRow}>
          <Button
            size="small"
            danger
            aria-label={`${text.removeRow} ${props.index + 1}`}
            disabled={!buttons.hasRemove}
            onClick={buttons.onRemoveItem}
          >
            ×
          </Button>
        </Tooltip>
      </Space>
    </>
  );
}
