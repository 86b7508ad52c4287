import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import './monitor.css';
import { crmDescriptor } from '@crm/engine/browser';
import { Alert } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { MONITOR } from './messages.ts';
import type { ElementActivity } from './monitor-api.ts';
import {
  BpmnViewer,
  type Viewer,
  type ViewerCanvas,
  type ViewerEvents,
  type ViewerOverlays,
  type ViewerRegistry,
} from './viewer.ts';

interface Props {
  xml: string;
  activity: ElementActivity[];
  /** Called with the id of a clicked element (null: the canvas). */
  onPick(elementId: string | null): void;
}

/** A badge over an element: the number of tokens there (or, in red, of open incidents). */
function badge(count: number, elementId: string, incident: boolean): HTMLElement {
  const element = document.createElement('div');
  element.className = incident ? 'crm-token-count crm-incident-count' : 'crm-token-count';
  element.textContent = String(count);
  element.dataset.testid = `${incident ? 'incidents' : 'tokens'}-${elementId}`;
  return element;
}

/**
 * An instance's own version of its diagram, read-only (pan and zoom): where it waits now with the number
 * of tokens, open incidents in red, what is done subdued. A click on an element picks it.
 */
export function InstanceDiagram({ xml, activity, onPick }: Props) {
  const { t } = useTranslation(MONITOR);
  const host = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const [error, setError] = useState<string | undefined>(undefined);
  const [drawn, setDrawn] = useState(false);

  useEffect(() => {
    if (!host.current) return;
    // StrictMode mounts twice: an import may finish after its viewer died
    let alive = true;
    setDrawn(false);
    const viewer: Viewer = new BpmnViewer({
      container: host.current,
      moddleExtensions: { zeebe: zeebeDescriptor, crm: crmDescriptor },
    });
    viewer.get<ViewerEvents>('eventBus').on('element.click', (event) => {
      const root = event.element.type === 'bpmn:Process' || event.element.type === 'bpmn:Collaboration';
      pick.current(root ? null : event.element.id);
    });
    viewer
      .importXML(xml)
      .then(() => {
        if (!alive) return;
        const canvas = viewer.get<ViewerCanvas>('canvas');
        const registry = viewer.get<ViewerRegistry>('elementRegistry');
        const overlays = viewer.get<ViewerOverlays>('overlays');
        for (const entry of activity) {
          if (!registry.get(entry.elementId)) continue;
          if (entry.openIncidents > 0) {
            canvas.addMarker(entry.elementId, 'crm-incident');
            overlays.add(entry.elementId, {
              position: { bottom: 10, right: 10 },
              html: badge(entry.openIncidents, entry.elementId, true),
            });
          } else if (entry.active > 0) {
            canvas.addMarker(entry.elementId, 'crm-active');
          } else if (entry.completed > 0 || entry.terminated > 0) {
            canvas.addMarker(entry.elementId, 'crm-done');
          }
          if (entry.active > 0) {
            overlays.add(entry.elementId, {
              position: { bottom: 10, right: entry.openIncidents > 0 ? 40 : 10 },
              html: badge(entry.active, entry.elementId, false),
            });
          }
        }
        canvas.zoom('fit-viewport');
        setError(undefined);
        setDrawn(true);
      })
      .catch((failure: unknown) => {
        if (alive) setError(failure instanceof Error ? failure.message : String(failure));
      });
    return () => {
      alive = false;
      viewer.destroy();
    };
  }, [xml, activity]);

  return (
    <>
      {error && <Alert type="error" showIcon title={t('instance.loadFailed')} description={error} />}
      <div
        ref={host}
        className="crm-monitor-canvas"
        data-testid="instance-diagram"
        data-drawn={drawn ? 'true' : 'false'}
      />
    </>
  );
}
