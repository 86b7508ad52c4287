import { TableOutlined } from '@ant-design/icons';
import type { ModuleDefinition } from '@crm/engine/browser';
import { useLocalize } from '@crm/ui';
import { Button, Checkbox, Popover } from 'antd';
import { useTranslation } from 'react-i18next';
import { LIST } from './messages.ts';

const NOT_A_COLUMN = new Set(['subtable', 'longText']);

/** Which fields show as columns; the order stays the definition's. */
export function ColumnChooser({
  definition,
  columns,
  onChange,
}: {
  definition: ModuleDefinition;
  columns: string[];
  onChange(columns: string[]): void;
}) {
  const { t } = useTranslation(LIST);
  const localize = useLocalize();
  const choices = definition.fields.filter((f) => !NOT_A_COLUMN.has(f.type));
  const content = (
    <Checkbox.Group
      value={columns}
      style={{ display: 'flex', flexDirection: 'column', gap: 4, maxHeight: 360, overflow: 'auto' }}
      options={choices.map((f) => ({ value: f.name, label: localize(f.label, f.name) }))}
      onChange={(chosen) => {
        // keep the order the columns had; newly chosen ones go after
        const kept = columns.filter((c) => chosen.includes(c));
        const added = choices.map((f) => f.name).filter((n) => chosen.includes(n) && !kept.includes(n));
        if (kept.length + added.length > 0) onChange([...kept, ...added]);
      }}
    />
  );
  return (
    <Popover trigger="click" content={content} placement="bottomRight">
      <Button icon={<TableOutlined />} data-testid="column-chooser">
        {t('columns')}
      </Button>
    </Popover>
  );
}
