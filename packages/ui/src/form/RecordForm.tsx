import {
  type ConditionState,
  compileConditions,
  type FormConditions,
  type JsonSchema,
} from '@crm/engine/browser';
import Form from '@rjsf/antd';
import type { ErrorSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { Alert, Button, Space } from 'antd';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { ConflictDialog } from './ConflictDialog.tsx';
import type { RecordFormContext } from './context.ts';
import {
  fetchSpecs,
  type PendingFetch,
  pendingFetches,
  withFetched,
  withNewRowValues,
} from './fetch-from.ts';
import { liveFormulas } from './live-formulas.ts';
import {
  type Choice as MergeChoice,
  mergeValues,
  type ServerChange,
  sameValue,
  serverChanges,
} from './merge.ts';
import { formText } from './messages.ts';
import { errorTreeOf, type FieldProblem } from './problems.ts';
import { formWidgets, recordFormFields, recordFormTemplates } from './registry.ts';
import { readOnlyFields, rjsfSchemas } from './schemas.ts';
import type { FormServices } from './services.ts';
import { validateRecord } from './validate.ts';

export type Values = Record<string, unknown>;

/** How a save went; the form shows problems on their fields and handles a conflict itself. */
export type SaveOutcome =
  | { status: 'saved' }
  | { status: 'invalid'; problems: FieldProblem[]; detail?: string }
  | { status: 'conflict' }
  | { status: 'failed'; detail: string };

export interface RecordFormProps {
  /** The module's API name (uploads go to its fields). */
  module: string;
  /** The form schemas the server serves for the user (GET /api/meta/modules/{m}/schema). */
  jsonSchema: JsonSchema;
  uiSchema: JsonSchema;
  locale: string;
  services: FormServices;
  /** The stored record when editing (its `version` guards the save), or a new record's starting values. */
  record?: Values;
  /** Per sub-table: what a new row starts with (its defaults, GET /api/modules/{m}/defaults). */
  newRows?: Record<string, Values>;
  /** Absent: a preview (the designer's), which validates but saves nothing. */
  onSave?: (values: Values, version: number | undefined) => Promise<SaveOutcome>;
  /** After a conflict: the record as it is now on the server. */
  reload?: () => Promise<Values>;
  onCancel?: () => void;
  /** Whether the values differ from what was loaded (for the page's leave guard). */
  onDirtyChange?: (dirty: boolean) => void;
  /** Called on every change, with the values (the designer's sample data). */
  onChange?: (values: Values) => void;
}

const NO_CONDITIONS: ConditionState = { hidden: [], required: [], readOnly: [] };

function fieldsOf(schema: JsonSchema): string[] {
  return Object.keys((schema.properties ?? {}) as object);
}

/** The values to send: writable fields only, a cleared field as null (so a PATCH clears it). */
function valuesToSend(values: Values, fields: readonly string[], readOnly: ReadonlySet<string>): Values {
  const out: Values = {};
  for (const name of fields) {
    if (readOnly.has(name)) continue;
    const value = values[name];
    out[name] = value === undefined || value === '' ? null : value;
  }
  return out;
}

function focusField(pointer: string) {
  const id = `root${pointer.replace(/\//g, '_')}`;
  const element = document.getElementById(id) ?? document.getElementById(`root_${pointer.split('/')[1]}`);
  element?.focus();
}

/**
 * A record's form: rjsf over the engine's JSON Schema and uiSchema, sections in columns, a widget
 * per field type, FEEL conditions decided as the user types, the server's problems on their
 * fields, and a field-by-field merge when someone else saved the record meanwhile.
 */
export function RecordForm(props: RecordFormProps) {
  const text = formText(props.locale);
  const fields = useMemo(() => fieldsOf(props.jsonSchema), [props.jsonSchema]);
  const readOnly = useMemo(() => readOnlyFields(props.uiSchema), [props.uiSchema]);
  const decide = useMemo(() => {
    const conditions = props.uiSchema['ui:conditions'] as FormConditions | undefined;
    return conditions ? compileConditions(conditions) : () => NO_CONDITIONS;
  }, [props.uiSchema]);

  const computeFormulas = useMemo(() => liveFormulas(props.uiSchema), [props.uiSchema]);
  const fetches = useMemo(() => fetchSpecs(props.uiSchema), [props.uiSchema]);

  const [base, setBase] = useState<Values>(() => computeFormulas(props.record ?? {}));
  const [values, setValues] = useState<Values>(() => computeFormulas(props.record ?? {}));
  const [clientProblems, setClientProblems] = useState<FieldProblem[]>([]);
  const [serverProblems, setServerProblems] = useState<{ problems: FieldProblem[]; sent: Values }>({
    problems: [],
    sent: {},
  });
  const [attempted, setAttempted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const [conflict, setConflict] = useState<{ theirs: Values; changes: ServerChange[] } | undefined>();
  const [formKey, setFormKey] = useState(0);

  const state = useMemo(() => decide(values), [decide, values]);
  const schemas = useMemo(
    () => rjsfSchemas(props.jsonSchema, props.uiSchema, state),
    [props.jsonSchema, props.uiSchema, state],
  );

  const dirty = useMemo(
    () => fields.some((name) => !readOnly.has(name) && !sameValue(base[name], values[name])),
    [fields, readOnly, base, values],
  );
  const onDirtyChange = useRef(props.onDirtyChange);
  onDirtyChange.current = props.onDirtyChange;
  useEffect(() => onDirtyChange.current?.(dirty), [dirty]);

  // server problems stay on fields until the user changes that field
  const standingServerProblems = serverProblems.problems.filter((p) => {
    const field = p.pointer.split('/')[1] ?? '';
    return field === '' || sameValue(serverProblems.sent[field], values[field]);
  });
  const { tree, general } = useMemo(
    () => errorTreeOf([...clientProblems, ...standingServerProblems], new Set(fields), props.locale),
    [clientProblems, standingServerProblems, fields, props.locale],
  );

  const widgets = useMemo(formWidgets, []);
  const context: RecordFormContext = {
    module: props.module,
    locale: props.locale,
    text,
    services: props.services,
    conditions: state,
    errors: tree,
  };

  const isMoney = (fetch: PendingFetch) => {
    const properties = (props.jsonSchema.properties ?? {}) as Record<string, JsonSchema>;
    const holder =
      fetch.subtable === undefined
        ? properties
        : ((((properties[fetch.subtable]?.items ?? {}) as JsonSchema).properties ?? {}) as Record<
            string,
            JsonSchema
          >);
    return holder[fetch.spec.field]?.type === 'object';
  };

  const fetchValue = async (fetch: PendingFetch) => {
    const { targetModule, source } = fetch.spec;
    const record = await props.services.recordValues(targetModule, fetch.id, [source]).catch(() => undefined);
    // a record or a field the user may not read fetches nothing, as on the server
    if (!record || !(source in record)) return;
    setValues((current) => computeFormulas(withFetched(current, fetch, record[source], isMoney)));
  };

  const change = (changed: Values) => {
    const next = computeFormulas(withNewRowValues(props.newRows, values, changed));
    for (const fetch of pendingFetches(fetches, values, next)) void fetchValue(fetch);
    setValues(next);
    props.onChange?.(next);
    if (attempted) setClientProblems(validateRecord(props.jsonSchema, next, decide(next), readOnly));
  };

  const submit = async () => {
    setAttempted(true);
    setFailure(undefined);
    const problems = validateRecord(props.jsonSchema, values, state, readOnly);
    setClientProblems(problems);
    if (problems.length > 0) {
      focusField(problems[0].pointer);
      return;
    }
    if (!props.onSave) return;
    setSaving(true);
    try {
      const sent = valuesToSend(values, fields, readOnly);
      const outcome = await props.onSave(sent, typeof base.version === 'number' ? base.version : undefined);
      if (outcome.status === 'saved') {
        setServerProblems({ problems: [], sent: {} });
        setBase(values);
      } else if (outcome.status === 'invalid') {
        setServerProblems({ problems: outcome.problems, sent: values });
        if (outcome.problems.length === 0 && outcome.detail) setFailure(outcome.detail);
        if (outcome.problems[0]) focusField(outcome.problems[0].pointer);
      } else if (outcome.status === 'conflict' && props.reload) {
        const theirs = await props.reload();
        setConflict({ theirs, changes: serverChanges(fields, base, values, theirs) });
      } else {
        setFailure(outcome.status === 'failed' ? outcome.detail : text.conflictTitle);
      }
    } finally {
      setSaving(false);
    }
  };

  const merge = (choices: Record<string, MergeChoice>) => {
    if (!conflict) return;
    const merged = mergeValues(fields, base, values, conflict.theirs, choices);
    setBase(conflict.theirs);
    setValues(merged);
    setConflict(undefined);
    setFormKey((k) => k + 1);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !props.onCancel || event.defaultPrevented) return;
    // Esc first closes an open dropdown or picker; only then does it cancel the form
    if (
      document.querySelector(
        '.ant-select-dropdown:not(.ant-select-dropdown-hidden), .ant-picker-dropdown:not(.ant-picker-dropdown-hidden)',
      )
    )
      return;
    event.preventDefault();
    props.onCancel();
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Esc anywhere in the form cancels it
    <div className="crm-record-form" onKeyDown={onKeyDown}>
      {general.length > 0 || failure ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          message={failure ?? text.fixErrors}
          description={general.length > 0 ? general.map((g) => <div key={g}>{g}</div>) : undefined}
        />
      ) : null}
      <Form
        key={formKey}
        schema={schemas.schema}
        uiSchema={schemas.uiSchema}
        formData={values}
        validator={validator}
        noValidate
        noHtml5Validate
        // no defaults filled in by rjsf: an untouched money field stays empty rather than { currency }
        experimental_defaultFormStateBehavior={{ emptyObjectFields: 'skipDefaults' }}
        showErrorList={false}
        extraErrors={tree as ErrorSchema}
        formContext={context}
        widgets={widgets}
        fields={recordFormFields}
        templates={recordFormTemplates}
        onChange={(event) => change((event.formData ?? {}) as Values)}
        onSubmit={() => void submit()}
      >
        {props.onSave || props.onCancel ? (
          <Space style={{ marginTop: 16 }}>
            {props.onSave ? (
              <Button type="primary" htmlType="submit" loading={saving}>
                {saving ? text.saving : text.save}
              </Button>
            ) : null}
            {props.onCancel ? <Button onClick={props.onCancel}>{text.cancel}</Button> : null}
          </Space>
        ) : (
          <span />
        )}
      </Form>
      <ConflictDialog
        open={conflict !== undefined}
        changes={conflict?.changes ?? []}
        schema={props.jsonSchema}
        uiSchema={props.uiSchema}
        locale={props.locale}
        text={text}
        services={props.services}
        onMerge={merge}
        onCancel={() => setConflict(undefined)}
      />
    </div>
  );
}
