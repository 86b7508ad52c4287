import {
  compileFormFormulas,
  createFieldTypeRegistry,
  type FieldTypeRegistry,
  type FormFormulas,
  type JsonSchema,
} from '@crm/engine/browser';

type Values = Record<string, unknown>;

let registry: FieldTypeRegistry | undefined;

/**
 * The values with their formulas computed as the server will store them (the engine's own
 * compiler and computation over the uiSchema's `ui:formulas`); formulas the form cannot compute
 * keep the value they have.
 */
export function liveFormulas(uiSchema: JsonSchema): (values: Values) => Values {
  const source = uiSchema['ui:formulas'] as FormFormulas | undefined;
  if (!source) return (values) => values;
  registry ??= createFieldTypeRegistry();
  const { compute } = compileFormFormulas(source, registry);
  return (values) => compute(values);
}
