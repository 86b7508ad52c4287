// bpmn-js's Modeler, typed by what the designer uses of it (its own declarations do not resolve as an
// ES module under NodeNext).
import ModelerModule from 'bpmn-js/lib/Modeler.js';

export interface Modeler {
  importXML(xml: string): Promise<{ warnings: unknown[] }>;
  saveXML(options?: { format?: boolean }): Promise<{ xml?: string }>;
  get<T>(service: string): T;
  destroy(): void;
}

type ModelerConstructor = new (options: Record<string, unknown>) => Modeler;

const loaded = ModelerModule as unknown as ModelerConstructor | { default: ModelerConstructor };

/** The bpmn-js modeler class. */
export const BpmnModeler: ModelerConstructor = 'default' in loaded ? loaded.default : loaded;
