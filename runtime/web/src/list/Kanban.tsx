import type { FieldDefinition, ModuleDefinition } from '@crm/engine/browser';
import { ApiError, api, errorMessage, type RecordData, useFormatters, useLocale, useLocalize } from '@crm/ui';
import { App, Badge, Card, Empty, Typography } from 'antd';
import { type DragEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { displayValue, optionsOf } from './fields.ts';
import { LIST } from './messages.ts';

const NONE = '';

/**
 * The records as cards in one column per option of a single-select field; dragging a card to
 * another column sets the field (guarded by the record's version: a 409 shows the record as it is now).
 */
export function Kanban({
  module,
  definition,
  groupBy,
  records,
  cardFields,
  titles,
  onChanged,
}: {
  module: string;
  definition: ModuleDefinition;
  groupBy: FieldDefinition;
  records: RecordData[];
  cardFields: string[];
  titles: ReadonlyMap<string, string>;
  onChanged(): void;
}) {
  const { t } = useTranslation(LIST);
  const locale = useLocale();
  const localize = useLocalize();
  const format = useFormatters();
  const { message } = App.useApp();
  const [local, setLocal] = useState(records);
  const [over, setOver] = useState<string | null>(null);
  useEffect(() => setLocal(records), [records]);

  const columns = [
    ...optionsOf(groupBy).map((o) => ({ value: o.value, label: localize(o.label, o.value), color: o.color })),
    { value: NONE, label: t('none'), color: undefined },
  ];
  const titleField = definition.titleField ?? definition.fields[0]?.name;
  const fieldsShown = cardFields.filter((n) => n !== titleField && n !== groupBy.name).slice(0, 3);

  const move = async (id: string, value: string) => {
    const record = local.find((r) => r.id === id);
    const target = value === NONE ? null : value;
    if (!record || (record[groupBy.name] ?? null) === target) return;
    const put = (changes: Partial<RecordData>) =>
      setLocal((list) => list.map((r) => (r.id === id ? { ...r, ...changes } : r)));
    put({ [groupBy.name]: target });
    try {
      const saved = await api.patch<RecordData>(
        `/api/modules/${encodeURIComponent(module)}/records/${id}`,
        { [groupBy.name]: target },
        { headers: { 'if-match': `"${record.version}"` } },
      );
      // the card carries the new version at once: a second move before the board is read again would
      // otherwise send the old one and be refused as someone else's change
      put({ [groupBy.name]: saved[groupBy.name], version: saved.version });
      message.success(t('kanbanMoved', { stage: columns.find((c) => c.value === value)?.label }));
    } catch (error) {
      put({ [groupBy.name]: record[groupBy.name] });
      if (error instanceof ApiError && error.status === 409) message.warning(t('conflict'));
      else message.error(errorMessage(error, locale));
    } finally {
      onChanged();
    }
  };

  const drop = (value: string) => (event: DragEvent) => {
    event.preventDefault();
    setOver(null);
    const id = event.dataTransfer.getData('text/plain');
    if (id) void move(id, value);
  };

  return (
    <div style={{ display: 'flex', gap: 12, overflowX: 'auto', paddingBottom: 8 }} data-testid="kanban">
      {columns.map((column) => {
        const cards = local.filter((r) => (r[groupBy.name] ?? NONE) === column.value);
        return (
          <section
            key={column.value || 'none'}
            data-testid={`kanban-column-${column.value || 'none'}`}
            aria-label={column.label}
            onDragOver={(event) => {
              event.preventDefault();
              setOver(column.value);
            }}
            onDragLeave={() => setOver((current) => (current === column.value ? null : current))}
            onDrop={drop(column.value)}
            style={{
              flex: '0 0 260px',
              background: over === column.value ? '#e6f4ff' : '#f5f5f5',
              borderRadius: 8,
              padding: 8,
              minHeight: 200,
            }}
          >
            <Typography.Text strong>
              <Badge color={column.color ?? '#bfbfbf'} text={column.label} /> ({cards.length})
            </Typography.Text>
            <div style={{ display: 'flex', flexDirection: 'column', gap: 8, marginTop: 8 }}>
              {cards.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={false} />}
              {cards.map((record) => (
                <Card
                  key={record.id}
                  size="small"
                  draggable
                  data-testid="kanban-card"
                  onDragStart={(event) => {
                    event.dataTransfer.setData('text/plain', record.id);
                    event.dataTransfer.effectAllowed = 'move';
                  }}
                  style={{ cursor: 'grab' }}
                >
                  <Link to={`/m/${module}/${record.id}`}>{String(record[titleField] ?? record.id)}</Link>
                  {fieldsShown.map((name) => {
                    const field = definition.fields.find((f) => f.name === name);
                    const text = field ? displayValue(field, record[name], format, localize, titles) : '';
                    return text ? (
                      <div key={name}>
                        <Typography.Text type="secondary">{text}</Typography.Text>
                      </div>
                    ) : null;
                  })}
                </Card>
              ))}
            </div>
          </section>
        );
      })}
    </div>
  );
}
