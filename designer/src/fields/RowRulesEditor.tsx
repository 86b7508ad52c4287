import { Space } from 'antd';
import { useState } from 'react';
import type { FeelTarget, FieldDefinition, ModuleDefinition } from '../api.ts';
import { type Rule, RuleCards } from '../rules/RuleCards.tsx';
import { TryPanel } from '../rules/TryPanel.tsx';
import { useCompletions } from '../rules/useCompletions.ts';

export interface RowRulesEditorProps {
  /** The sub-table field whose row rules are edited. */
  subtable: FieldDefinition;
  /** The module being edited, the sub-table in it as it is now. */
  definition: ModuleDefinition;
  onChange(rules: Rule[] | undefined): void;
}

/**
 * A sub-table's row rules with the module rules' editor: each rule reads one row's fields (checked
 * and completed as such), its error is shown on row fields, and "try it" runs it on a sample row.
 */
export function RowRulesEditor({ subtable, definition, onChange }: RowRulesEditorProps) {
  const rules = Array.isArray(subtable.rules) ? (subtable.rules as Rule[]) : [];
  const rows = Array.isArray(subtable.fields) ? (subtable.fields as FieldDefinition[]) : [];
  const target: FeelTarget = { definition, subtable: subtable.name };
  const completions = useCompletions(definition, undefined, subtable.name);
  const [trying, setTrying] = useState<{ expression: string; target: FeelTarget } | undefined>(undefined);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="row-rules">
      <div>
        <RuleCards
          rules={rules}
          onChange={(next) => onChange(next.length > 0 ? next : undefined)}
          fields={rows}
          target={target}
          completions={completions}
          onTry={(expression) => setTrying({ expression, target })}
          testIdPrefix="row-rule"
        />
      </div>
      {trying && (
        <TryPanel key={subtable.name} definition={definition} moduleId={definition.id} initial={trying} />
      )}
    </Space>
  );
}
