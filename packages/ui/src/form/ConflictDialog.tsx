import type { JsonSchema } from '@crm/engine/browser';
import { Alert, Modal, Radio, Table, Tag } from 'antd';
import { useState } from 'react';
import { FieldValue } from './FieldValue.tsx';
import type { Choice as MergeChoice, ServerChange } from './merge.ts';
import type { FormText } from './messages.ts';
import type { FormServices } from './services.ts';

export interface ConflictDialogProps {
  open: boolean;
  changes: ServerChange[];
  schema: JsonSchema;
  uiSchema: JsonSchema;
  locale: string;
  text: FormText;
  services: FormServices;
  onMerge: (choices: Record<string, MergeChoice>) => void;
  onCancel: () => void;
}

/** What changed on the server meanwhile, field by field; where both sides changed a field the user picks. */
export function ConflictDialog(props: ConflictDialogProps) {
  const { text } = props;
  const [choices, setChoices] = useState<Record<string, MergeChoice>>({});
  const properties = (props.schema.properties ?? {}) as Record<string, JsonSchema>;
  const value = (field: string, v: unknown) => (
    <FieldValue
      value={v}
      schema={properties[field]}
      ui={props.uiSchema[field] as JsonSchema | undefined}
      locale={props.locale}
      text={text}
      services={props.services}
    />
  );
  return (
    <Modal
      open={props.open}
      title={text.conflictTitle}
      okText={text.applyMerge}
      cancelText={text.cancel}
      width={760}
      onOk={() => props.onMerge(choices)}
      onCancel={props.onCancel}
      destroyOnHidden
    >
      <Alert type="warning" showIcon message={text.conflictIntro} style={{ marginBottom: 12 }} />
      <Table
        size="small"
        pagination={false}
        rowKey="field"
        scroll={{ x: true }}
        dataSource={props.changes}
        rowClassName={(change) => (change.conflict ? 'crm-conflict-row' : '')}
        columns={[
          {
            key: 'field',
            title: text.field,
            render: (_: unknown, change: ServerChange) =>
              String(properties[change.field]?.title ?? change.field),
          },
          {
            key: 'mine',
            title: text.yours,
            render: (_: unknown, change: ServerChange) => value(change.field, change.mine),
          },
          {
            key: 'theirs',
            title: text.theirs,
            render: (_: unknown, change: ServerChange) => value(change.field, change.theirs),
          },
          {
            key: 'choice',
            title: '',
            render: (_: unknown, change: ServerChange) =>
              change.conflict ? (
                <Radio.Group
                  aria-label={String(properties[change.field]?.title ?? change.field)}
                  value={choices[change.field] ?? 'mine'}
                  onChange={(e) => setChoices({ ...choices, [change.field]: e.target.value as MergeChoice })}
                  options={[
                    { value: 'mine', label: text.keepMine },
                    { value: 'theirs', label: text.takeTheirs },
                  ]}
                />
              ) : (
                <Tag>{text.takenFromServer}</Tag>
              ),
          },
        ]}
      />
    </Modal>
  );
}
