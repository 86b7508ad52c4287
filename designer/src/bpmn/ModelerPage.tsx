import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import './modeler.css';
import { crmDescriptor } from '@crm/engine/browser';
import { useLocale, useLocalize } from '@crm/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, Input, List, Row, Space, Tag, Typography } from 'antd';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  ZeebePropertiesProviderModule,
} from 'bpmn-js-properties-panel';
import camundaCloudBehaviors from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { useProblemLines } from '../errors.ts';
import { ActionPalette } from './ActionPalette.tsx';
import { CrmPanel } from './CrmPanel.tsx';
import type { DiagramElement } from './extensions.ts';
import { BPMN } from './messages.ts';
import { BpmnModeler, type Modeler } from './modeler.ts';
import { newDiagram } from './new-diagram.ts';
import { translateModule } from './translate.ts';
import { type LintProblem, workflowApi } from './workflow-api.ts';

const LINT_MARKER = 'crm-lint-error';

interface Canvas {
  getRootElement(): DiagramElement;
  addMarker(id: string, marker: string): void;
  removeMarker(id: string, marker: string): void;
  zoom(level: string): void;
}
interface ElementRegistry {
  get(id: string): DiagramElement | undefined;
}
interface Selection {
  select(element: DiagramElement): void;
}
interface EventBus {
  on(event: string, callback: (event: { newSelection?: DiagramElement[] }) => void): void;
}
/** The diagram being edited, as XML, with the diagram it was loaded from. */
interface Unsaved {
  source: string;
  xml: string;
}
interface SelectionEvent {
  newSelection?: DiagramElement[];
}

/**
 * The workflow and approval modeler: bpmn-js with the Zeebe properties panel, the CRM's own settings
 * of the selected element, the engine's lint marking what it cannot run, and deploy (a new version;
 * running instances stay on theirs).
 */
export function ModelerPage() {
  const { t } = useTranslation(BPMN);
  const localize = useLocalize();
  const { message } = App.useApp();
  const problemLines = useProblemLines();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const processId = useParams().processId;
  const canvasHost = useRef<HTMLDivElement>(null);
  const panelHost = useRef<HTMLDivElement>(null);
  const [modeler, setModeler] = useState<Modeler | null>(null);
  const [selected, setSelected] = useState<DiagramElement | null>(null);
  const [, setTick] = useState(0);
  const [problems, setProblems] = useState<LintProblem[] | undefined>(undefined);
  const [failure, setFailure] = useState<string[] | undefined>(undefined);
  const [busy, setBusy] = useState<'lint' | 'deploy' | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const [newId] = useState(() => `flow_${Date.now().toString(36)}`);
  const marked = useRef<string[]>([]);
  const locale = useLocale();
  // the modeler is made anew in another language (bpmn-js translates when it renders); the edits so far
  // carry over to it
  const loadedFrom = useRef<string | undefined>(undefined);
  const unsaved = useRef<Unsaved | undefined>(undefined);
  const actions = useQuery({ queryKey: ['designer', 'actions'], queryFn: workflowApi.actions });
  const versions = useQuery({
    queryKey: ['designer', 'workflow-versions', processId],
    queryFn: () => workflowApi.versions(processId ?? ''),
    enabled: processId !== undefined,
  });

  // one modeler per page and language; StrictMode mounts twice, so an import may finish after its
  // modeler died
  useEffect(() => {
    if (!canvasHost.current || !panelHost.current) return;
    const instance = new BpmnModeler({
      container: canvasHost.current,
      propertiesPanel: { parent: panelHost.current },
      additionalModules: [
        BpmnPropertiesPanelModule,
        BpmnPropertiesProviderModule,
        ZeebePropertiesProviderModule,
        camundaCloudBehaviors,
        translateModule(locale),
      ],
      moddleExtensions: { zeebe: zeebeDescriptor, crm: crmDescriptor },
    });
    const bus = instance.get<EventBus>('eventBus');
    bus.on('selection.changed', (event: SelectionEvent) => setSelected(event.newSelection?.[0] ?? null));
    bus.on('elements.changed', () => setTick((n) => n + 1));
    bus.on('commandStack.changed', () => {
      const source = loadedFrom.current;
      if (source === undefined) return;
      void instance.saveXML({ format: true }).then(({ xml }) => {
        if (xml && loadedFrom.current === source) unsaved.current = { source, xml };
      });
    });
    setModeler(instance);
    return () => {
      instance.destroy();
      setModeler(null);
    };
  }, [locale]);

  // versions come oldest first: the modeler opens the latest
  const latest = versions.data?.reduce((a, b) => (b.version > a.version ? b : a));
  const xmlToLoad = processId === undefined ? newDiagram(newId, 'New workflow') : latest?.xml;

  useEffect(() => {
    if (!modeler || xmlToLoad === undefined) return;
    let alive = true;
    // the same diagram in a new modeler (another language) keeps its edits; another diagram (a new
    // version deployed) starts from itself
    const edited = unsaved.current?.source === xmlToLoad ? unsaved.current.xml : undefined;
    if (edited === undefined) unsaved.current = undefined;
    modeler
      .importXML(edited ?? xmlToLoad)
      .then(() => {
        if (!alive) return;
        loadedFrom.current = xmlToLoad;
        modeler.get<Canvas>('canvas').zoom('fit-viewport');
        setSelected(null);
        setLoadError(undefined);
        setTick((n) => n + 1); // the root element exists now: show its settings
      })
      .catch((error: unknown) => {
        if (alive) setLoadError(error instanceof Error ? error.message : String(error));
      });
    return () => {
      alive = false;
    };
  }, [modeler, xmlToLoad]);

  const mark = useCallback(
    (found: LintProblem[]) => {
      if (!modeler) return;
      const canvas = modeler.get<Canvas>('canvas');
      const registry = modeler.get<ElementRegistry>('elementRegistry');
      for (const id of marked.current) if (registry.get(id)) canvas.removeMarker(id, LINT_MARKER);
      marked.current = [...new Set(found.map((p) => p.elementId).filter((id) => id && registry.get(id)))];
      for (const id of marked.current) canvas.addMarker(id, LINT_MARKER);
    },
    [modeler],
  );

  const xml = async () => {
    if (!modeler) throw new Error('the modeler is not ready');
    const saved = await modeler.saveXML({ format: true });
    return saved.xml ?? '';
  };

  const lint = async () => {
    setBusy('lint');
    setFailure(undefined);
    try {
      const result = await workflowApi.lint(await xml());
      setProblems(result.problems);
      mark(result.problems);
      if (result.problems.length === 0) message.success(t('lint.clean'));
    } catch (error) {
      setFailure(problemLines(error));
    } finally {
      setBusy(undefined);
    }
  };

  const deploy = async () => {
    setBusy('deploy');
    setFailure(undefined);
    try {
      const diagram = await xml();
      const check = await workflowApi.lint(diagram);
      setProblems(check.problems);
      mark(check.problems);
      if (check.problems.length > 0) return;
      const deployed = await workflowApi.deploy(diagram);
      const first = deployed[0];
      message.success(
        first?.duplicate
          ? t('deploy.unchanged', { version: first.version })
          : t('deploy.done', { version: first?.version }),
      );
      await queryClient.invalidateQueries({ queryKey: ['designer', 'workflows'] });
      await queryClient.invalidateQueries({ queryKey: ['designer', 'workflow-versions'] });
      if (first && first.processId !== processId)
        navigate(`/workflows/${encodeURIComponent(first.processId)}`, { replace: true });
    } catch (error) {
      setFailure(problemLines(error));
    } finally {
      setBusy(undefined);
    }
  };

  const select = (elementId: string) => {
    if (!modeler) return;
    const element = modeler.get<ElementRegistry>('elementRegistry').get(elementId);
    if (element) modeler.get<Selection>('selection').select(element);
  };

  const root = modeler && !loadError ? safeRoot(modeler) : null;
  const current = selected ?? root;

  return (
    <div data-testid="modeler-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Space>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {latest?.name ?? processId ?? t('modeler.new')}
          </Typography.Title>
          {latest && <Tag color="green">v{latest.version}</Tag>}
        </Space>
        <Space>
          <Button
            onClick={() => void lint()}
            loading={busy === 'lint'}
            disabled={!modeler}
            data-testid="lint"
          >
            {t('lint.button')}
          </Button>
          <Button
            type="primary"
            onClick={() => void deploy()}
            loading={busy === 'deploy'}
            disabled={!modeler}
            data-testid="deploy"
          >
            {t('deploy.button')}
          </Button>
        </Space>
      </Space>
      {loadError && <Alert type="error" showIcon title={t('modeler.loadFailed')} description={loadError} />}
      {failure && (
        <Alert
          type="error"
          showIcon
          title={t('deploy.failed')}
          description={failure.map((line) => <div key={line}>{line}</div>)}
          style={{ marginBottom: 8 }}
        />
      )}
      {problems && problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('lint.problems', { count: problems.length })}
          style={{ marginBottom: 8 }}
          data-testid="lint-problems"
          description={
            <List
              size="small"
              dataSource={problems}
              renderItem={(p) => (
                <List.Item style={{ cursor: 'pointer' }} onClick={() => select(p.elementId)}>
                  {localize(p.messages, p.message)}
                </List.Item>
              )}
            />
          }
        />
      )}
      <Row gutter={8}>
        <Col xs={24} xl={16}>
          <div ref={canvasHost} className="crm-modeler-canvas" data-testid="bpmn-canvas" />
        </Col>
        <Col xs={24} xl={8}>
          {modeler && current && (
            <CrmPanel modeler={modeler} element={current} actions={actions.data ?? []} />
          )}
          <div ref={panelHost} className="crm-properties-panel" />
          {modeler && (
            <ActionPalette
              modeler={modeler}
              after={selected}
              actions={actions.data ?? []}
              onAdded={setSelected}
            />
          )}
        </Col>
      </Row>
      <Input type="hidden" value={current?.id ?? ''} readOnly />
    </div>
  );
}

function safeRoot(modeler: Modeler): DiagramElement | null {
  try {
    const root = modeler.get<Canvas>('canvas').getRootElement();
    return root?.businessObject ? root : null;
  } catch {
    return null;
  }
}
