// The benchmark's baseline (test/bench/web-form.ts): the same record schema rendered by plain rjsf with
// the antd theme and its own widgets, no app around it (no router, login, menu, lookups or conditions).
import Form from '@rjsf/antd';
import type { RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { createRoot } from 'react-dom/client';

declare global {
  interface Window {
    /** Injected by the benchmark's server into the page. */
    __FORM__: { jsonSchema: RJSFSchema; order: string[] };
  }
}

const root = document.getElementById('root');
if (!root) throw new Error('no #root');
const { jsonSchema, order } = window.__FORM__;
createRoot(root).render(
  <Form
    schema={jsonSchema}
    uiSchema={{ 'ui:order': [...order, '*'] }}
    validator={validator}
    noHtml5Validate
  />,
);
