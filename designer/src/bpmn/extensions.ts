// Reading and writing the `crm:` and `zeebe:` extension elements of a diagram element through the
// modeler's own commands (so undo/redo and the properties panel follow every change).
import type { Modeler } from './modeler.ts';

/** A moddle element as bpmn-js hands it out: typed, with attributes by name. */
export interface ModdleElement {
  $type: string;
  $parent?: ModdleElement;
  id?: string;
  get(name: string): unknown;
  [key: string]: unknown;
}

/** A diagram element (shape, connection or the root) with its BPMN business object. */
export interface DiagramElement {
  id: string;
  type: string;
  businessObject: ModdleElement;
}

interface Moddle {
  create(type: string, attrs?: Record<string, unknown>): ModdleElement;
}
interface Modeling {
  updateProperties(element: DiagramElement, properties: Record<string, unknown>): void;
  updateModdleProperties(
    element: DiagramElement,
    target: ModdleElement,
    properties: Record<string, unknown>,
  ): void;
}

export function services(modeler: Modeler) {
  return { moddle: modeler.get<Moddle>('moddle'), modeling: modeler.get<Modeling>('modeling') };
}

function extensionValues(element: DiagramElement): ModdleElement[] {
  const ext = element.businessObject.get('extensionElements') as ModdleElement | undefined;
  return ((ext?.get('values') as ModdleElement[] | undefined) ?? []).slice();
}

/** The element's extension of `type` (e.g. `crm:Approval`), if it has one. */
export function extensionOf(element: DiagramElement, type: string): ModdleElement | undefined {
  return extensionValues(element).find((v) => v.$type === type);
}

/** Puts `value` (a new moddle element) in place of the element's extension of `type`, or removes it (null). */
export function replaceExtension(
  modeler: Modeler,
  element: DiagramElement,
  type: string,
  value: ModdleElement | null,
): void {
  const { moddle, modeling } = services(modeler);
  const existing = element.businessObject.get('extensionElements') as ModdleElement | undefined;
  if (!existing && !value) return;
  const ext = existing ?? moddle.create('bpmn:ExtensionElements', { values: [] });
  if (!existing) {
    ext.$parent = element.businessObject;
    modeling.updateProperties(element, { extensionElements: ext });
  }
  const others = extensionValues(element).filter((v) => v.$type !== type);
  if (value) value.$parent = ext;
  const index = extensionValues(element).findIndex((v) => v.$type === type);
  const values = value ? [...others] : others;
  if (value) values.splice(index < 0 ? values.length : index, 0, value);
  modeling.updateModdleProperties(element, ext, { values });
}

/** Creates a moddle element of `type` with the given attributes (empty ones left out). */
export function create(modeler: Modeler, type: string, attrs: Record<string, unknown>): ModdleElement {
  const clean = Object.fromEntries(
    Object.entries(attrs).filter(([, v]) => v !== undefined && v !== '' && v !== null),
  );
  return services(modeler).moddle.create(type, clean);
}

/** The plain attributes of a moddle element, by name. */
export function attrsOf(
  element: ModdleElement | undefined,
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!element) return out;
  for (const name of names) {
    const value = element.get(name);
    if (value !== undefined && value !== null) out[name] = String(value);
  }
  return out;
}
