/**
 * Component and operation names. Module names are snake_case (`stock_movement`), so PascalCase
 * (`StockMovement`) names them; a part starting with a digit keeps its underscore (`q_1` → `Q_1`)
 * so two module names never give one component name. The platform's own schemas carry a `crm.`
 * prefix, which no module name can produce.
 */
export function moduleSchemaName(moduleName: string): string {
  return moduleName
    .split('_')
    .map((part, i) =>
      /^\d/.test(part) ? `${i === 0 ? '' : '_'}${part}` : part[0].toUpperCase() + part.slice(1),
    )
    .join('');
}

export const crmSchema = (name: string) => `crm.${name}`;

export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
export const parameterRef = (name: string) => ({ $ref: `#/components/parameters/${name}` });
