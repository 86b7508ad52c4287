import { type PluginWidgetProps, registerBrowserPlugin } from '@crm/sdk/browser';
import { usccFieldType } from './field-type.ts';
import { USCC_MESSAGES, usccProblem } from './uscc.ts';

/** A text input that upper-cases as you type and tells a wrong check character before saving. */
export function UsccWidget(props: PluginWidgetProps) {
  const value = typeof props.value === 'string' ? props.value : '';
  const locale = props.formContext?.locale === 'en' ? 'en' : 'zh-CN';
  const problem = value.length === 18 ? usccProblem(value) : undefined;
  return (
    <span className="crm-uscc">
      <input
        id={props.id}
        value={value}
        maxLength={18}
        placeholder={props.placeholder ?? '91350100M000100Y43'}
        disabled={props.disabled}
        readOnly={props.readonly}
        required={props.required}
        aria-invalid={problem !== undefined}
        spellCheck={false}
        onChange={(event) => props.onChange(event.target.value.toUpperCase().replace(/\s/g, '') || undefined)}
        onBlur={() => props.onBlur?.(props.id, props.value)}
        style={{ fontFamily: 'monospace', letterSpacing: '0.05em' }}
      />
      {problem && <span role="alert">{USCC_MESSAGES[problem][locale]}</span>}
    </span>
  );
}

/** In lists: the code in groups (registration, division, organisation code, check) for reading. */
export function UsccCell({ value }: { value: unknown }) {
  if (typeof value !== 'string' || value.length !== 18) return <span>{String(value ?? '')}</span>;
  return (
    <span
      style={{ fontFamily: 'monospace' }}
    >{`${value.slice(0, 2)} ${value.slice(2, 8)} ${value.slice(8, 17)} ${value.slice(17)}`}</span>
  );
}

export default registerBrowserPlugin({
  name: 'uscc',
  widgets: { uscc: UsccWidget },
  cells: { uscc: UsccCell },
  fieldTypes: [usccFieldType],
});
