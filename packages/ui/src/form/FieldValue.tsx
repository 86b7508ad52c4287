import type { FileReference, JsonSchema } from '@crm/engine/browser';
import { Table, Typography } from 'antd';
import { type ComponentType, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { formatPlain } from './format.ts';
import type { FormText } from './messages.ts';
import type { Choice, FormServices } from './services.ts';

export interface FieldValueProps {
  value: unknown;
  schema: JsonSchema | undefined;
  ui: JsonSchema | undefined;
  locale: string;
  text: FormText;
  services: FormServices;
  /** Where a related record opens (the app's route). */
  recordHref?: (module: string, id: string) => string;
  /**
   * The display a plugin registers for values its form widget `widget` edits (the field type's list
   * cell), when there is one: a plugin field reads the same on the record page as in the list.
   */
  pluginCell?: (widget: string) => ComponentType<{ value: unknown; locale?: string }> | undefined;
}

function useLabels(ids: readonly string[], resolve: (ids: readonly string[]) => Promise<Choice[]>) {
  const [labels, setLabels] = useState<Map<string, Choice>>(new Map());
  const key = ids.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by the ids, not the arrays' identity
  useEffect(() => {
    let live = true;
    if (ids.length > 0) {
      resolve(ids)
        .then((found) => {
          if (live) setLabels(new Map(found.map((c) => [c.value, c])));
        })
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
  }, [key]);
  return labels;
}

function idsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function References(
  props: FieldValueProps & { resolve: (ids: readonly string[]) => Promise<Choice[]>; module?: string },
) {
  const ids = idsOf(props.value);
  const labels = useLabels(ids, props.resolve);
  return (
    <span>
      {ids.map((id, i) => {
        const choice = labels.get(id);
        const label = choice ? `${choice.label}${choice.inactive ? ` ${props.text.left}` : ''}` : '…';
        const href = props.module && props.recordHref ? props.recordHref(props.module, id) : undefined;
        return (
          <span key={id}>
            {i > 0 ? ', ' : ''}
            {href ? <Link to={href}>{label}</Link> : label}
          </span>
        );
      })}
    </span>
  );
}

/** One field's value as users read it: formatted, relations and people by name, files as downloads. */
export function FieldValue(props: FieldValueProps) {
  const { value, ui, services, text } = props;
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
    return <Typography.Text type="secondary">{text.empty}</Typography.Text>;
  }
  const widget = ui?.['ui:widget'];
  const Cell = typeof widget === 'string' ? props.pluginCell?.(widget) : undefined;
  if (Cell) return <Cell value={value} locale={props.locale} />;
  const options = (ui?.['ui:options'] ?? {}) as { targetModule?: string; titleField?: string };
  if (widget === 'lookup' || widget === 'multiLookup') {
    const module = options.targetModule ?? '';
    return (
      <References
        {...props}
        module={module}
        resolve={(ids) => services.recordTitles(module, options.titleField ?? 'id', ids)}
      />
    );
  }
  if (widget === 'user') return <References {...props} resolve={(ids) => services.users(ids)} />;
  if (widget === 'department') return <References {...props} resolve={(ids) => services.departments(ids)} />;
  if (widget === 'files') {
    return (
      <span>
        {(value as FileReference[]).map((file, i) => (
          <span key={file.id}>
            {i > 0 ? ', ' : ''}
            <a href={services.fileUrl(file.id)} download={file.name}>
              {file.name}
            </a>
          </span>
        ))}
      </span>
    );
  }
  if (widget === 'subtable') {
    const items = (props.schema?.items ?? {}) as JsonSchema;
    const properties = (items.properties ?? {}) as Record<string, JsonSchema>;
    const rowUi = (ui?.items ?? {}) as JsonSchema;
    const order = ((rowUi['ui:order'] as string[] | undefined) ?? Object.keys(properties)).filter(
      (n) => n !== 'id',
    );
    return (
      <Table
        size="small"
        pagination={false}
        rowKey={(row: Record<string, unknown>) => String(row.id)}
        dataSource={value as Record<string, unknown>[]}
        scroll={{ x: true }}
        columns={order.map((name) => ({
          key: name,
          title: String(properties[name]?.title ?? name),
          render: (_: unknown, row: Record<string, unknown>) => (
            <FieldValue
              {...props}
              value={row[name]}
              schema={properties[name]}
              ui={rowUi[name] as JsonSchema}
            />
          ),
        }))}
      />
    );
  }
  return <span>{formatPlain(value, props.schema, ui, props.locale, text)}</span>;
}
