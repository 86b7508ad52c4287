import type { FileReference } from '@crm/engine/browser';
import type { FieldProps, WidgetProps } from '@rjsf/utils';
import { InputNumber } from 'antd';
import { formContextOf } from '../context.ts';
import { FieldValue } from '../FieldValue.tsx';
import { FileUploader } from '../FileUploader.tsx';

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
  return (
    <div id={props.id}>
      <FileUploader
        value={(props.value as FileReference[] | undefined) ?? []}
        onChange={(files) => props.onChange(files.length > 0 ? files : undefined)}
        upload={(file) => services.upload(module, field, file)}
        fileUrl={services.fileUrl}
        text={text}
        multiple={multiple}
        disabled={props.disabled || props.readonly}
      />
    </div>
  );
}
