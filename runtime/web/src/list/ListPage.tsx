import { AppstoreOutlined, PlusOutlined, TableOutlined } from '@ant-design/icons';
import { listViewFields, listViewOf, type ModuleDefinition } from '@crm/engine/browser';
import {
  EmptyState,
  ErrorState,
  LoadingState,
  type RecordData,
  useFormatters,
  useLocale,
  useLocalize,
} from '@crm/ui';
import { keepPreviousData, usePrefetchQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  Grid,
  Input,
  List,
  Segmented,
  Select,
  Space,
  Table,
  type TableProps,
  Typography,
} from 'antd';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { usePublishedDefinition } from '../definitions.ts';
import { useModules } from '../modules.ts';
import { POOL } from '../pool/messages.ts';
import { ClaimButton } from '../pool/PoolButtons.tsx';
import { ColumnChooser } from './ColumnChooser.tsx';
import { ExportButton } from './ExportButton.tsx';
import { FilterBuilder } from './FilterBuilder.tsx';
import { displayValue, fieldByName, isSortable, pluginCellOf, useFieldTypes } from './fields.ts';
import { type Condition, conditionsOf, filterOf } from './filter.ts';
import { LIST } from './messages.ts';
import { DEFAULT_PAGE_SIZE, type ListRequest, recordsQuery } from './records.ts';
import { useRelationTitles } from './relation-titles.ts';
import { SavedViews } from './SavedViews.tsx';
import type { SavedView } from './views.ts';

// shown only once asked for (a selection, the board): loaded then, not with the list
const BulkBar = lazy(() => import('./BulkBar.tsx').then((m) => ({ default: m.BulkBar })));
const Kanban = lazy(() => import('./Kanban.tsx').then((m) => ({ default: m.Kanban })));

const PAGE_SIZES = [20, 50, 100];
/** The board shows this many records at most (the list API's largest page). */
const BOARD_LIMIT = 500;

interface ListState {
  conditions: Condition[];
  q: string;
  sort: string;
  columns: string[];
  mode: 'table' | 'kanban';
}

function stateOf(definition: ModuleDefinition, view?: SavedView): ListState {
  const defaults = listViewOf(definition);
  return {
    conditions: conditionsOf(view?.filter),
    q: view?.q ?? '',
    sort: view?.sort ?? defaults.sort,
    columns: view?.columns ?? defaults.columns,
    mode: view?.mode ?? 'table',
  };
}

/** A module's list: /m/:module. */
const IN_POOL: Condition = { field: 'owner', op: 'empty' };

export function ListPage() {
  const { module = '' } = useParams();
  const definition = usePublishedDefinition(module);
  // the first page in the module's list view, asked for beside the definition rather than after it
  usePrefetchQuery(recordsQuery(module, 'default', DEFAULT_PAGE_SIZE));
  if (definition.isPending) return <LoadingState />;
  if (definition.isError)
    return <ErrorState error={definition.error} onRetry={() => void definition.refetch()} />;
  if (!definition.data) return <ErrorState status={404} />;
  // a new module starts from its own defaults
  return <ModuleList key={module} module={module} definition={definition.data} />;
}

function ModuleList({ module, definition }: { module: string; definition: ModuleDefinition }) {
  const { t } = useTranslation(LIST);
  const { t: ui } = useTranslation();
  const poolText = useTranslation(POOL).t;
  const localize = useLocalize();
  const format = useFormatters();
  const locale = useLocale();
  const phone = Grid.useBreakpoint().md === false;
  const types = useFieldTypes();
  const modules = useModules();
  const queryClient = useQueryClient();
  const [view, setView] = useState<SavedView>();
  const [state, setState] = useState<ListState>(() => stateOf(definition));
  // until the user changes something the list is the module's own view, asked for as such (see records.ts)
  const [customized, setCustomized] = useState(false);
  const [search, setSearch] = useState('');
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [selected, setSelected] = useState<string[]>([]);
  const page = cursors.length - 1;
  const defaults = listViewOf(definition);
  const groupBy = defaults.kanbanField ? fieldByName(definition, defaults.kanbanField) : undefined;
  const kanban = state.mode === 'kanban' && groupBy !== undefined;

  const update = (next: Partial<ListState>) => {
    setState((current) => ({ ...current, ...next }));
    setCustomized(true);
    setCursors([undefined]);
    setSelected([]);
  };
  const [poolOnly, setPoolOnly] = useState(false);
  // the pool view: the records without an owner, whatever else the filter says
  const filter = filterOf(poolOnly ? [...state.conditions, IN_POOL] : state.conditions);
  const query = {
    filter,
    q: state.q || undefined,
    sort: state.sort,
    fields: listViewFields(definition, state.columns).join(','),
  };
  const request: ListRequest = customized ? query : 'default';
  const records = useQuery({
    ...recordsQuery(module, request, kanban ? BOARD_LIMIT : pageSize, kanban ? undefined : cursors[page]),
    placeholderData: keepPreviousData,
  });
  const titles = useRelationTitles(definition, records.data?.data, modules.data, state.columns);
  const titleMap = titles.data ?? new Map<string, string>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['records', module] });
  const yesNo: [string, string] = [t('yes'), t('no')];

  const sortKey = state.sort.split(',')[0] ?? '';
  const sortField = sortKey.replace(/^-/, '');
  const columns: TableProps<RecordData>['columns'] = state.columns.flatMap((name, i) => {
    const field = fieldByName(definition, name);
    if (!field) return [];
    return [
      {
        key: name,
        dataIndex: name,
        title: localize(field.label, name),
        ellipsis: true,
        sorter: isSortable(field, types.data),
        sortOrder: sortField === name ? (sortKey.startsWith('-') ? 'descend' : 'ascend') : null,
        render: (value: unknown, record: RecordData) => {
          const Cell = pluginCellOf(field, types.data);
          const text =
            Cell && value !== null && value !== undefined ? (
              <Cell value={value} locale={locale} />
            ) : (
              displayValue(field, value, format, localize, titleMap, yesNo)
            );
          return i === 0 ? (
            <Link to={`/m/${module}/${record.id}`}>{text || record.id.slice(0, 8)}</Link>
          ) : (
            text
          );
        },
      },
    ];
  });

  if (definition.pool) {
    columns.push({
      key: '_pool',
      width: 96,
      render: (_: unknown, record: RecordData) =>
        record.owner === null ? (
          <ClaimButton module={module} id={record.id} size="small" onDone={() => void refresh()} />
        ) : null,
    });
  }

  const settings = {
    filter,
    q: state.q || undefined,
    sort: state.sort,
    columns: state.columns,
    mode: state.mode,
  };
  const total = records.data?.total;
  const filtered = state.conditions.length > 0 || state.q !== '';
  const label = localize(definition.pluralLabel ?? definition.label, definition.name);

  const toolbar = (
    <Space wrap style={{ marginBottom: 12 }}>
      <Input.Search
        allowClear
        placeholder={t('search')}
        aria-label={t('search')}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        onSearch={(q) => update({ q: q.trim() })}
        style={{ width: phone ? '100%' : 220 }}
        data-testid="list-search"
      />
      <FilterBuilder
        definition={definition}
        conditions={state.conditions}
        onApply={(conditions) => update({ conditions })}
      />
      <SavedViews
        module={module}
        current={settings}
        selected={view}
        onSelect={(chosen) => {
          setView(chosen);
          const next = stateOf(definition, chosen);
          setSearch(next.q);
          update(next);
        }}
      />
      {!phone && !kanban && (
        <ColumnChooser
          definition={definition}
          columns={state.columns}
          onChange={(columns) => update({ columns })}
        />
      )}
      {definition.pool && (
        <Segmented
          value={poolOnly ? 'pool' : 'all'}
          onChange={(value) => {
            setPoolOnly(value === 'pool');
            update({});
          }}
          options={[
            { value: 'all', label: poolText('all') },
            { value: 'pool', label: poolText('pool') },
          ]}
          data-testid="pool-switch"
        />
      )}
      <ExportButton module={module} query={query} total={total} />
      {groupBy && (
        <Segmented
          value={state.mode}
          onChange={(mode) => update({ mode: mode as ListState['mode'] })}
          options={[
            { value: 'table', icon: <TableOutlined />, label: t('table') },
            { value: 'kanban', icon: <AppstoreOutlined />, label: t('kanban') },
          ]}
          data-testid="mode-switch"
        />
      )}
    </Space>
  );

  let body: ReactNode;
  if (records.isError) {
    body = <ErrorState error={records.error} onRetry={() => void records.refetch()} />;
  } else if (records.isPending) {
    body = <LoadingState />;
  } else if (records.data.data.length === 0 && page === 0) {
    body = (
      <EmptyState description={filtered ? t('emptyFiltered') : t('empty')}>
        {filtered ? (
          <Button
            onClick={() => {
              setSearch('');
              update({ conditions: [], q: '' });
            }}
          >
            {t('clearFilters')}
          </Button>
        ) : (
          <Link to={`/m/${module}/new`}>
            <Button type="primary" icon={<PlusOutlined />}>
              {ui('action.create')}
            </Button>
          </Link>
        )}
      </EmptyState>
    );
  } else if (kanban && groupBy) {
    body = (
      <Suspense fallback={<LoadingState />}>
        <Kanban
          module={module}
          definition={definition}
          groupBy={groupBy}
          records={records.data.data}
          cardFields={state.columns}
          titles={titleMap}
          onChanged={refresh}
        />
      </Suspense>
    );
  } else if (phone) {
    body = (
      <List
        data-testid="record-cards"
        dataSource={records.data.data}
        loading={records.isFetching}
        renderItem={(record) => (
          <Card size="small" style={{ marginBottom: 8 }}>
            {state.columns.slice(0, 4).map((name, i) => {
              const field = fieldByName(definition, name);
              if (!field) return null;
              const text = displayValue(field, record[name], format, localize, titleMap, yesNo);
              return i === 0 ? (
                <Link
                  key={name}
                  to={`/m/${module}/${record.id}`}
                  style={{ fontWeight: 600, display: 'block' }}
                >
                  {text || record.id.slice(0, 8)}
                </Link>
              ) : (
                <div key={name}>
                  <Typography.Text type="secondary">{localize(field.label, name)}: </Typography.Text>
                  {text}
                </div>
              );
            })}
          </Card>
        )}
      />
    );
  } else {
    body = (
      <Table<RecordData>
        rowKey="id"
        size="middle"
        data-testid="record-table"
        loading={records.isFetching && !records.isPending}
        dataSource={records.data.data}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) }}
        onChange={(_pagination, _filters, sorter) => {
          const one = Array.isArray(sorter) ? sorter[0] : sorter;
          const key = one?.order ? String(one.columnKey) : undefined;
          update({ sort: key ? `${one.order === 'descend' ? '-' : ''}${key}` : defaults.sort });
        }}
      />
    );
  }

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {label}
        </Typography.Title>
        <Link to={`/m/${module}/new`}>
          <Button type="primary" icon={<PlusOutlined />} data-testid="new-record">
            {ui('action.create')}
          </Button>
        </Link>
      </Space>
      {toolbar}
      {selected.length > 0 && !kanban && (
        <Suspense fallback={null}>
          <div style={{ marginBottom: 8 }}>
            <BulkBar
              module={module}
              definition={definition}
              selected={selected}
              onClear={() => setSelected([])}
              onDone={() => {
                setSelected([]);
                void refresh();
              }}
            />
          </div>
        </Suspense>
      )}
      {body}
      {!kanban && records.data && (
        <Space
          style={{ marginTop: 12, justifyContent: 'space-between', width: '100%' }}
          wrap
          data-testid="pager"
        >
          <Typography.Text type="secondary">
            {total !== undefined ? t('total', { count: total }) : ''}
          </Typography.Text>
          <Space>
            {/* while a page loads, the one before stays on show: its cursor would step past the new one */}
            <Button
              disabled={page === 0 || records.isPlaceholderData}
              onClick={() => setCursors((list) => list.slice(0, -1))}
              data-testid="page-previous"
            >
              {t('previous')}
            </Button>
            <Typography.Text data-testid="page-number">{t('page', { page: page + 1 })}</Typography.Text>
            <Button
              disabled={!records.data.nextCursor || records.isPlaceholderData}
              onClick={() => setCursors((list) => [...list, records.data.nextCursor ?? undefined])}
              data-testid="page-next"
            >
              {t('next')}
            </Button>
            <Select
              value={pageSize}
              onChange={(size) => {
                setPageSize(size);
                setCursors([undefined]);
              }}
              options={PAGE_SIZES.map((size) => ({
                value: size,
                label: t('perPage', { size }),
              }))}
              aria-label="page size"
            />
          </Space>
        </Space>
      )}
    </>
  );
}
