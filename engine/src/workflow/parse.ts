import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { crmDescriptor } from './crm-descriptor.ts';
import { lintProblem, type WorkflowProblem } from './problems.ts';

const moddle = new BpmnModdle({ zeebe: zeebeDescriptor, crm: crmDescriptor });

/** The largest BPMN document accepted (diagram XML of a few hundred elements is ~200 kB). */
export const MAX_XML_LENGTH = 2_000_000;

export interface ParsedDefinitions {
  definitions: ModdleElement;
  problems: WorkflowProblem[];
}

/** BPMN 2.0 XML to bpmn-moddle's object tree; unreadable XML or unknown elements are problems. */
export async function parseBpmn(xml: string): Promise<ParsedDefinitions> {
  if (xml.length > MAX_XML_LENGTH) {
    return {
      definitions: { $type: 'bpmn:Definitions' },
      problems: [
        lintProblem('', 'too-large', {
          en: `the BPMN document is larger than ${MAX_XML_LENGTH} characters`,
          'zh-CN': `BPMN 文档超过 ${MAX_XML_LENGTH} 个字符`,
        }),
      ],
    };
  }
  try {
    const { rootElement, warnings } = await moddle.fromXML(xml);
    const problems = warnings.map((warning) =>
      lintProblem('', 'unreadable', {
        en: `unreadable BPMN: ${firstLine(warning.message)}`,
        'zh-CN': `无法读取的 BPMN 内容：${firstLine(warning.message)}`,
      }),
    );
    if (rootElement?.$type !== 'bpmn:Definitions') {
      problems.push(
        lintProblem('', 'not-bpmn', {
          en: 'the document is not BPMN 2.0 definitions',
          'zh-CN': '该文档不是 BPMN 2.0 定义',
        }),
      );
    }
    return { definitions: rootElement ?? { $type: 'none' }, problems };
  } catch (error) {
    const message = error instanceof Error ? firstLine(error.message) : String(error);
    return {
      definitions: { $type: 'none' },
      problems: [
        lintProblem('', 'not-xml', {
          en: `the BPMN XML cannot be read: ${message}`,
          'zh-CN': `无法解析 BPMN XML：${message}`,
        }),
      ],
    };
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
