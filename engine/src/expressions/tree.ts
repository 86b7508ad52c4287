/**
 * Types and small helpers for feelin's lezer parse tree (`@lezer/common` is feelin's dependency,
 * not ours, so its types are reached through feelin's own declarations).
 */
import type { compileExpression } from 'feelin';

export type FeelTree = ReturnType<typeof compileExpression>['parseTree'];
export type FeelNode = FeelTree['topNode'];

/** The child nodes of `node`, in source order. */
export function childrenOf(node: FeelNode): FeelNode[] {
  const children: FeelNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
  return children;
}

/** Whether the subtree of `node` contains a parse error node (`⚠`). */
export function containsError(node: FeelNode): boolean {
  if (node.type.isError) return true;
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (containsError(child)) return true;
  }
  return false;
}

/**
 * The name a `Name`/`VariableName`/`PathName` node spells, as feelin reads it: its identifier
 * tokens joined by single spaces (`string   length` → `string length`).
 */
export function nameOf(node: FeelNode, source: string): string {
  const parts: string[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    parts.push(source.slice(child.from, child.to));
  }
  return parts.length > 0 ? parts.join(' ') : source.slice(node.from, node.to);
}
