// bpmn-js's NavigatedViewer (pan and zoom, no editing), typed by what the monitor uses of it.
import ViewerModule from 'bpmn-js/lib/NavigatedViewer.js';

export interface Viewer {
  importXML(xml: string): Promise<{ warnings: unknown[] }>;
  get<T>(service: string): T;
  destroy(): void;
}

export interface ViewerCanvas {
  addMarker(id: string, marker: string): void;
  zoom(level: string): void;
}
export interface ViewerOverlays {
  add(id: string, overlay: { position: { bottom?: number; right?: number }; html: HTMLElement }): string;
}
export interface ViewerRegistry {
  get(id: string): { id: string } | undefined;
}
export interface ViewerEvents {
  on(event: string, callback: (event: { element: { id: string; type: string } }) => void): void;
}

type ViewerConstructor = new (options: Record<string, unknown>) => Viewer;

const loaded = ViewerModule as unknown as ViewerConstructor | { default: ViewerConstructor };

/** The bpmn-js navigated viewer class. */
export const BpmnViewer: ViewerConstructor = 'default' in loaded ? loaded.default : loaded;
