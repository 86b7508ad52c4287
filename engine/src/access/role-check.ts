import type { ValidateFunction } from 'ajv';
import { createAjv, problemsFromAjv } from '../compile/ajv.ts';
import type { ModuleDefinition } from '../definitions/types.ts';
import { type Problem, pointerOf } from '../errors.ts';
import { findNul } from '../json-text.ts';
import type { RoleDefinition } from './role-definition.ts';
import { roleMetaSchema } from './role-meta-schema.ts';

let validator: ValidateFunction | undefined;

/** The published definition of a module by id (or, for a package import, the one it will publish). */
export type ModuleLookup = (moduleId: string) => ModuleDefinition | undefined;

/**
 * Everything wrong with a role definition: its shape (the meta-schema), then its references: each
 * module must be published and each field listed must be one of its fields (by name or id).
 */
export function checkRole(input: unknown, modules: ModuleLookup): Problem[] {
  const shape = roleShapeProblems(input);
  if (shape.length > 0) return shape;
  const role = input as RoleDefinition;
  const problems: Problem[] = [];
  for (const [moduleId, grant] of Object.entries(role.modules)) {
    const module = modules(moduleId);
    if (!module) {
      problems.push({
        pointer: pointerOf('modules', moduleId),
        code: 'unknown-module',
        message: `no published module has the id '${moduleId}'`,
      });
      continue;
    }
    for (const key of Object.keys(grant.fields ?? {})) {
      const known = module.fields.some((f) => f.name === key || f.id === key);
      if (!known) {
        problems.push({
          pointer: pointerOf('modules', moduleId, 'fields', key),
          code: 'unknown-field',
          message: `module '${module.name}' has no field '${key}'`,
        });
      }
    }
  }
  return problems;
}

/** What is wrong with the shape of a role definition (the meta-schema), references aside. */
export function roleShapeProblems(input: unknown): Problem[] {
  const nul = findNul(input);
  if (nul !== undefined) {
    return [{ pointer: nul, code: 'characters', message: 'must not contain the NUL character (U+0000)' }];
  }
  validator ??= createAjv().compile(roleMetaSchema);
  return validator(input) ? [] : problemsFromAjv(validator.errors);
}
