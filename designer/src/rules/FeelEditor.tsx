import { autocompletion, type Completion, type CompletionContext } from '@codemirror/autocomplete';
import { type Diagnostic, linter, lintGutter } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, placeholder as placeholderText } from '@codemirror/view';
import { useLocalize } from '@crm/ui';
import { basicSetup } from 'codemirror';
import { feel } from 'lang-feel';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { designerApi, type FeelCompletion, type FeelTarget } from '../api.ts';
import { DESIGNER } from '../messages.ts';

export interface FeelEditorProps {
  value: string;
  onChange(value: string): void;
  /** What the expression is checked against (module fields). */
  target: FeelTarget;
  completions: FeelCompletion[];
  placeholder?: string;
  /** Shown under the editor: the result type the server names for the expression. */
  onChecked?(result: { valid: boolean; resultType: string | null }): void;
  testId?: string;
  minLines?: number;
}

/** How long typing must pause before the server checks the expression. */
const CHECK_DELAY_MS = 350;

/**
 * A FEEL expression editor (CodeMirror 6): FEEL highlighting, completion of the module's field names
 * (with labels and types) and FEEL functions, and the server's check underlining syntax errors and
 * unknown names where they are.
 */
export function FeelEditor({
  value,
  onChange,
  target,
  completions,
  placeholder,
  onChecked,
  testId,
  minLines = 1,
}: FeelEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const localize = useLocalize();
  const { t } = useTranslation(DESIGNER);
  // the latest props, read by the editor's callbacks without rebuilding it
  const latest = useRef({ onChange, target, completions, onChecked, localize, t });
  latest.current = { onChange, target, completions, onChecked, localize, t };

  // biome-ignore lint/correctness/useExhaustiveDependencies: the editor is built once; `value` syncs below
  useEffect(() => {
    if (!host.current) return;
    const complete = (context: CompletionContext) => {
      const word = context.matchBefore(/[\p{L}_][\p{L}\p{N}_ ]*/u);
      if (!word && !context.explicit) return null;
      const { completions: names, localize: text, t: tr } = latest.current;
      const options: Completion[] = names.map((c) => ({
        label: c.name,
        type: c.kind === 'function' ? 'function' : 'variable',
        detail: c.kind === 'function' ? tr('feel.function') : (c.fieldType ?? c.feelType),
        info: c.label ? text(c.label) : undefined,
        apply: c.kind === 'function' ? `${c.name}()` : c.name,
        boost: c.kind === 'field' ? 2 : c.kind === 'system' ? 1 : 0,
      }));
      return { from: word ? word.from : context.pos, options, validFor: /^[\p{L}\p{N}_]*$/u };
    };
    const check = linter(
      async (editor): Promise<Diagnostic[]> => {
        const source = editor.state.doc.toString();
        if (source.trim() === '') {
          latest.current.onChecked?.({ valid: true, resultType: null });
          return [];
        }
        try {
          const result = await designerApi.feelCheck(latest.current.target, source);
          latest.current.onChecked?.({ valid: result.valid, resultType: result.resultType });
          return result.problems.map((p) => ({
            from: Math.min(p.from, source.length),
            to: Math.min(Math.max(p.to, p.from + 1), source.length),
            severity: 'error',
            message: p.message,
          }));
        } catch {
          return []; // the check is a help: a failed call leaves the text unmarked
        }
      },
      { delay: CHECK_DELAY_MS },
    );
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          feel(),
          autocompletion({ override: [complete], activateOnTyping: true }),
          check,
          lintGutter(),
          placeholderText(placeholder ?? ''),
          EditorView.lineWrapping,
          EditorView.theme({
            '&': { border: '1px solid #d9d9d9', borderRadius: '6px', fontSize: '13px' },
            '.cm-content': { minHeight: `${minLines * 1.4 + 0.6}em`, fontFamily: 'ui-monospace, monospace' },
            ...(minLines > 1 ? {} : { '.cm-gutters': { display: 'none' } }),
          }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latest.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  // a value changed from outside (another editor, a reset) replaces the text
  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div ref={host} data-testid={testId} className="feel-editor" />;
}
