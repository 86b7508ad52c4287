import { PlusOutlined } from '@ant-design/icons';
import { useLocalize } from '@crm/ui';
import { Button, Card, List, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { create, type DiagramElement, replaceExtension } from './extensions.ts';
import { BPMN } from './messages.ts';
import type { Modeler } from './modeler.ts';
import type { WorkflowActionInfo } from './workflow-api.ts';

interface ElementFactory {
  createShape(attrs: { type: string }): DiagramElement;
}
interface AutoPlace {
  append(source: DiagramElement, shape: DiagramElement): DiagramElement;
}
interface Modeling {
  updateLabel(element: DiagramElement, text: string): void;
}

/** Kinds of element a service task can follow in the flow. */
const APPENDABLE =
  /^bpmn:(StartEvent|Task|UserTask|ServiceTask|ManualTask|ReceiveTask|ExclusiveGateway|ParallelGateway|InclusiveGateway|IntermediateCatchEvent|IntermediateThrowEvent)$/;

/**
 * The registered service-task actions (update or create a record, set variables, plugins' actions):
 * one click appends a service task running the action after the selected element.
 */
export function ActionPalette({
  modeler,
  after,
  actions,
  onAdded,
}: {
  modeler: Modeler;
  after: DiagramElement | null;
  actions: WorkflowActionInfo[];
  onAdded(element: DiagramElement): void;
}) {
  const { t } = useTranslation(BPMN);
  const localize = useLocalize();
  const canAppend = after !== null && APPENDABLE.test(after.type);
  const append = (action: WorkflowActionInfo) => {
    if (!after) return;
    const shape = modeler.get<ElementFactory>('elementFactory').createShape({ type: 'bpmn:ServiceTask' });
    const placed = modeler.get<AutoPlace>('autoPlace').append(after, shape);
    modeler.get<Modeling>('modeling').updateLabel(placed, localize(action.label, action.type));
    replaceExtension(
      modeler,
      placed,
      'zeebe:TaskDefinition',
      create(modeler, 'zeebe:TaskDefinition', { type: action.type }),
    );
    onAdded(placed);
  };
  return (
    <Card size="small" title={t('palette.title')} style={{ marginTop: 8 }} data-testid="action-palette">
      {!canAppend && <Typography.Text type="secondary">{t('palette.select')}</Typography.Text>}
      <List
        size="small"
        dataSource={actions}
        renderItem={(action) => (
          <List.Item
            actions={[
              <Button
                key="add"
                size="small"
                icon={<PlusOutlined />}
                disabled={!canAppend}
                onClick={() => append(action)}
                data-testid={`append-${action.type}`}
                aria-label={t('palette.append')}
              />,
            ]}
          >
            <Tooltip title={action.description ? localize(action.description) : undefined}>
              {localize(action.label, action.type)} <code>{action.type}</code>
            </Tooltip>
          </List.Item>
        )}
      />
    </Card>
  );
}
