import type { FieldDefinition } from '../definitions/types.ts';
import { quoteLiteral } from '../storage/naming.ts';
import { optionsOf, type SelectOption } from './options.ts';
import type { SearchSupport } from './registry.ts';

/** The stored text itself (text, long text, email, url). */
export const textSearch: SearchSupport = { byDefault: true, texts: (_field, column) => [column] };

/** A phone number: its text, and its digits for searching by any part of the number. */
export const phoneSearch: SearchSupport = { ...textSearch, digits: true };

/** An option's labels in every locale: a search finds it by what users see, in either language. */
function labelText(option: SelectOption): string {
  return quoteLiteral([...new Set(Object.values(option.label))].join(' '));
}

/** A single select: the labels of the chosen option. */
export const selectSearch: SearchSupport = {
  byDefault: true,
  texts: (field: FieldDefinition, column: string) => {
    const options = optionsOf(field);
    if (options.length === 0) return [];
    const cases = options.map((o) => `WHEN ${quoteLiteral(o.value)} THEN ${labelText(o)}`).join(' ');
    return [`CASE ${column} ${cases} END`];
  },
};

/** A multiple select: the labels of each chosen option. */
export const multiSelectSearch: SearchSupport = {
  byDefault: true,
  texts: (field: FieldDefinition, column: string) =>
    optionsOf(field).map(
      (o) => `CASE WHEN ${column} @> ARRAY[${quoteLiteral(o.value)}]::text[] THEN ${labelText(o)} END`,
    ),
};
