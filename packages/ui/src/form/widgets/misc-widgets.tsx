import type { FileReference } from '@crm/engine/browser';
import type { FieldProps, WidgetProps } from '@rjsf/utils';
import { Button, InputNumber, Upload } from 'antd';
import { useRef, useState } from 'react';
import { formContextOf } from '../context.ts';
import { FieldValue } from '../FieldValue.tsx';

/** A computed value (formula, autonumber, rollup): shown, never edited. */
export function ReadonlyField(props: FieldProps) {
  const context = formContextOf(props.registry);
  return (
    <div id={props.fieldPathId.$id} className="crm-readonly-value">
      <FieldValue
        value={props.formData}
        schema={props.schema}
        ui={props.uiSchema}
        locale={context.locale}
        text={context.text}
        services={context.services}
      />
    </div>
  );
}

/** A percentage, as the number of percent (15 means 15 %). */
export function PercentWidget(props: WidgetProps) {
  return (
    <InputNumber
      id={props.id}
      value={props.value ?? null}
      disabled={props.disabled || props.readonly}
      placeholder={props.placeholder}
      status={props.rawErrors && props.rawErrors.length > 0 ? 'error' : undefined}
      suffix="%"
      style={{ width: '100%' }}
      onChange={(value) => props.onChange(value ?? undefined)}
      onBlur={() => props.onBlur(props.id, props.value)}
    />
  );
}

/** Attachments: each file is uploaded to the field at once, the record references it by id on save. */
export function FilesWidget(props: WidgetProps) {
  const context = formContextOf(props.registry);
  const { services, text, module } = context;
  const field = String(props.name);
  const multiple = (props.schema as { type?: unknown }).type === 'array' && (props.schema.maxItems ?? 2) > 1;
  const files = (props.value as FileReference[] | undefined) ?? [];
  // uploads finish later: each adds to the files as they are then, not as they were when it began
  const latest = useRef(files);
  latest.current = files;
  const [busy, setBusy] = useState(0);
  const [failed, setFailed] = useState<string | undefined>();
  const disabled = props.disabled || props.readonly;
  return (
    <div id={props.id}>
      <Upload
        multiple={multiple}
        disabled={disabled}
        fileList={files.map((file) => ({
          uid: file.id,
          name: file.name,
          status: 'done' as const,
          url: services.fileUrl(file.id),
        }))}
        customRequest={({ file }) => {
          setBusy((n) => n + 1);
          setFailed(undefined);
          services
            .upload(module, field, file as File)
            .then((uploaded) => {
              const next = multiple ? [...latest.current, uploaded] : [uploaded];
              latest.current = next;
              props.onChange(next);
            })
            .catch((error: unknown) => setFailed(error instanceof Error ? error.message : text.uploadFailed))
            .finally(() => setBusy((n) => n - 1));
        }}
        onRemove={(removed) => {
          const rest = files.filter((file) => file.id !== removed.uid);
          props.onChange(rest.length > 0 ? rest : undefined);
          return true;
        }}
      >
        {disabled ? null : <Button loading={busy > 0}>{busy > 0 ? text.uploading : text.upload}</Button>}
      </Upload>
      {failed ? <div className="ant-form-item-explain-error">{`${text.uploadFailed}: ${failed}`}</div> : null}
    </div>
  );
}
