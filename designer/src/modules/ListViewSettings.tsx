import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '@ant-design/icons';
import { checkListView, type ListViewDefinition, listViewOf } from '@crm/engine/browser';
import { useLocalize } from '@crm/ui';
import { arrayMove } from '@dnd-kit/sortable';
import { Button, Card, Form, List, Radio, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ModuleDefinition } from '../api.ts';
import { DESIGNER } from '../messages.ts';
import { browserRegistry } from '../rules/useCompletions.ts';
import { useProblemAt } from './settings-problems.ts';
import type { ModuleDraft } from './useModuleDraft.ts';

/** Types a list cannot show as a column (as the engine's list-view check says). */
const NOT_A_COLUMN = new Set(['subtable', 'longText']);
/** System fields a list may sort by. */
const SORTABLE_SYSTEM = ['created_at', 'updated_at'] as const;

/**
 * How the module's records are listed: the default columns in order (moved up and down, added,
 * removed), the default sort field and direction, and the single-select field of the kanban board.
 */
export function ListViewSettings({ draft }: { draft: ModuleDraft }) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const definition = draft.definition as ModuleDefinition;
  const view = definition.listView ?? {};
  const defaults = listViewOf({ ...definition, listView: undefined });
  const problemAt = useProblemAt(checkListView(definition, browserRegistry()));
  const labelOf = (name: string) => {
    const field = definition.fields.find((f) => f.name === name);
    if (field) return localize(field.label, name);
    return t(`listView.system.${name}`, { defaultValue: name });
  };
  const set = <K extends keyof ListViewDefinition>(key: K, value: ListViewDefinition[K] | undefined) =>
    draft.update((d) => {
      const next: ListViewDefinition = { ...d.listView };
      if (value === undefined) delete next[key];
      else next[key] = value;
      const { listView: _old, ...rest } = d;
      return Object.keys(next).length > 0 ? { ...rest, listView: next } : rest;
    });

  const columns = view.columns ?? defaults.columns;
  const setColumns = (next: string[]) => set('columns', next);
  const addable = definition.fields.filter((f) => !NOT_A_COLUMN.has(f.type) && !columns.includes(f.name));

  const [firstKey = '', ...otherKeys] = (view.sort ?? defaults.sort).split(',');
  const descending = firstKey.startsWith('-');
  const sortField = firstKey.replace(/^-/, '');
  const setSort = (field: string | undefined, desc: boolean) =>
    set('sort', field ? [`${desc ? '-' : ''}${field}`, ...otherKeys].join(',') : undefined);
  const registry = browserRegistry();
  const sortable = [
    ...definition.fields
      .filter((f) => registry.get(f.type)?.sortable === true)
      .map((f) => ({ value: f.name, label: `${localize(f.label, f.name)} (${f.name})` })),
    ...SORTABLE_SYSTEM.map((name) => ({
      value: name,
      label: labelOf(name),
    })),
  ];

  return (
    <Card
      size="small"
      style={{ maxWidth: 720, marginTop: 16 }}
      data-testid="list-view-settings"
      title={t('listView.title')}
    >
      <Form layout="vertical" component="div">
        <Form.Item
          label={t('listView.columns')}
          extra={view.columns ? undefined : t('listView.columnsDefault')}
          {...problemAt('/listView/columns')}
        >
          <List
            size="small"
            bordered
            dataSource={columns}
            data-testid="list-columns"
            renderItem={(name, index) => (
              <List.Item
                data-testid={`list-column-${name}`}
                actions={[
                  <Button
                    key="up"
                    size="small"
                    type="text"
                    icon={<ArrowUpOutlined />}
                    disabled={index === 0}
                    aria-label={t('fields.moveUp', { label: labelOf(name) })}
                    onClick={() => setColumns(arrayMove(columns, index, index - 1))}
                  />,
                  <Button
                    key="down"
                    size="small"
                    type="text"
                    icon={<ArrowDownOutlined />}
                    disabled={index === columns.length - 1}
                    aria-label={t('fields.moveDown', { label: labelOf(name) })}
                    onClick={() => setColumns(arrayMove(columns, index, index + 1))}
                  />,
                  <Button
                    key="remove"
                    size="small"
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    disabled={columns.length === 1}
                    aria-label={t('listView.removeColumn', { label: labelOf(name) })}
                    onClick={() => setColumns(columns.filter((c) => c !== name))}
                  />,
                ]}
              >
                {labelOf(name)} <code>{name}</code>
              </List.Item>
            )}
          />
          <Space style={{ marginTop: 8 }}>
            <Select
              style={{ minWidth: 240 }}
              value={null}
              placeholder={t('listView.addColumn')}
              onChange={(name: string) => setColumns([...columns, name])}
              options={addable.map((f) => ({
                value: f.name,
                label: `${localize(f.label, f.name)} (${f.name})`,
              }))}
              data-testid="list-add-column"
            />
            <Button
              disabled={view.columns === undefined}
              onClick={() => set('columns', undefined)}
              data-testid="list-columns-reset"
            >
              {t('listView.useDefault')}
            </Button>
          </Space>
        </Form.Item>
        <Form.Item label={t('listView.sort')} {...problemAt('/listView/sort')}>
          <Space wrap>
            <Select
              style={{ minWidth: 240 }}
              value={sortField || undefined}
              allowClear
              placeholder={t('listView.sortDefault')}
              onChange={(name?: string) => setSort(name, descending)}
              options={sortable}
              data-testid="list-sort-field"
            />
            <Radio.Group
              value={descending ? 'desc' : 'asc'}
              onChange={(e) => setSort(sortField, e.target.value === 'desc')}
              data-testid="list-sort-direction"
            >
              <Radio.Button value="asc">{t('listView.ascending')}</Radio.Button>
              <Radio.Button value="desc">{t('listView.descending')}</Radio.Button>
            </Radio.Group>
          </Space>
          {otherKeys.length > 0 && (
            <Typography.Text type="secondary" style={{ display: 'block' }}>
              {t('listView.thenBy', { keys: otherKeys.join(', ') })}
            </Typography.Text>
          )}
        </Form.Item>
        <Form.Item
          label={t('listView.kanbanField')}
          extra={t('listView.kanbanHelp')}
          {...problemAt('/listView/kanbanField')}
        >
          <Select
            allowClear
            value={view.kanbanField}
            placeholder={defaults.kanbanField ? labelOf(defaults.kanbanField) : undefined}
            onChange={(name?: string) => set('kanbanField', name)}
            notFoundContent={t('pool.noSelect')}
            options={definition.fields
              .filter((f) => f.type === 'select')
              .map((f) => ({ value: f.name, label: `${localize(f.label, f.name)} (${f.name})` }))}
            data-testid="list-kanban-field"
          />
        </Form.Item>
      </Form>
    </Card>
  );
}
