/**
 * @crm/sdk/browser: what a plugin gives the web apps. A plugin's browser entry calls
 * `registerBrowserPlugin`; the record form merges `pluginWidgets()` into its rjsf widgets (by the
 * field type's `widget` name) and lists render cells with `pluginCells()` (by its `cell` name).
 */

/** The props the form passes to a widget (a subset of rjsf's WidgetProps). */
export interface PluginWidgetProps {
  id: string;
  value: unknown;
  onChange(value: unknown): void;
  onBlur?(id: string, value: unknown): void;
  disabled?: boolean;
  readonly?: boolean;
  required?: boolean;
  placeholder?: string;
  rawErrors?: string[];
  /** The form's locale ('zh-CN' or 'en'), from rjsf's formContext where the form sets it. */
  formContext?: { locale?: string };
}

export interface PluginCellProps {
  value: unknown;
  locale?: string;
}

/** A React function component (the SDK itself does not depend on React). */
export type PluginComponent<P> = (props: P) => unknown;

export interface BrowserPlugin {
  name: string;
  widgets?: Record<string, PluginComponent<PluginWidgetProps>>;
  cells?: Record<string, PluginComponent<PluginCellProps>>;
  /**
   * The plugin's field types (the objects `definePlugin` gets, when they are browser-safe): the
   * designer's live preview compiles forms with them as the server does.
   */
  fieldTypes?: readonly unknown[];
}

const registered = new Map<string, BrowserPlugin>();

export function registerBrowserPlugin(plugin: BrowserPlugin): BrowserPlugin {
  registered.set(plugin.name, plugin);
  return plugin;
}

function collect<K extends 'widgets' | 'cells'>(kind: K): NonNullable<BrowserPlugin[K]> {
  const all: Record<string, unknown> = {};
  for (const plugin of registered.values()) Object.assign(all, plugin[kind]);
  return all as NonNullable<BrowserPlugin[K]>;
}

/** Every registered plugin's form widgets, by widget name. */
export const pluginWidgets = () => collect('widgets');
/** Every registered plugin's list cells, by cell name. */
export const pluginCells = () => collect('cells');
/** Every registered plugin's field types. */
export const pluginFieldTypes = (): unknown[] => [...registered.values()].flatMap((p) => p.fieldTypes ?? []);
