import type { ElementKind } from '../model.ts';
import { boundaryEvent } from './boundary-event.ts';
import { callActivity } from './call-activity.ts';
import { endEvent } from './end-event.ts';
import { eventBasedGateway } from './event-based-gateway.ts';
import { exclusiveGateway } from './exclusive-gateway.ts';
import { inclusiveGateway } from './inclusive-gateway.ts';
import { intermediateCatchEvent } from './intermediate-catch-event.ts';
import { manualTask } from './manual-task.ts';
import { parallelGateway } from './parallel-gateway.ts';
import { receiveTask } from './receive-task.ts';
import { serviceTask } from './service-task.ts';
import { startEvent } from './start-event.ts';
import { subProcess } from './sub-process.ts';
import { userTask } from './user-task.ts';

/** The supported BPMN elements by bpmn-moddle `$type`; anything else is refused at deploy. */
export const elementKinds = new Map<string, ElementKind>();
for (const kind of [
  startEvent,
  endEvent,
  userTask,
  serviceTask,
  manualTask,
  receiveTask,
  exclusiveGateway,
  parallelGateway,
  inclusiveGateway,
  eventBasedGateway,
  intermediateCatchEvent,
  boundaryEvent,
  subProcess,
  callActivity,
]) {
  for (const type of kind.types) elementKinds.set(type, kind);
}
