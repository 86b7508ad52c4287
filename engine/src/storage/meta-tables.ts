import { boolean, integer, jsonb, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ModuleDefinition } from '../definitions/types.ts';
import { META_SCHEMA } from './naming.ts';

/** The engine's own tables: definitions and their versions, shared by every workspace. */
export const meta = pgSchema(META_SCHEMA);

export const workspaces = meta.table('workspaces', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  schemaName: text('schema_name').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});

export const modules = meta.table(
  'modules',
  {
    workspaceId: text('workspace_id').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    draft: jsonb('draft').$type<ModuleDefinition>(),
    draftUpdatedAt: timestamp('draft_updated_at', { withTimezone: true, mode: 'string' }),
    publishedVersion: integer('published_version'),
    archived: boolean('archived').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export const moduleVersions = meta.table(
  'module_versions',
  {
    workspaceId: text('workspace_id').notNull(),
    moduleId: text('module_id').notNull(),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<ModuleDefinition>().notNull(),
    plan: jsonb('plan').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    publishedBy: uuid('published_by'),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.moduleId, t.version] })],
);

export const archivedColumns = meta.table(
  'archived_columns',
  {
    workspaceId: text('workspace_id').notNull(),
    moduleId: text('module_id').notNull(),
    fieldId: text('field_id').notNull(),
    version: integer('version').notNull(),
    field: jsonb('field').notNull(),
    tableName: text('table_name').notNull(),
    columns: text('columns').array().notNull(),
    archivedAt: timestamp('archived_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    purgedAt: timestamp('purged_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.moduleId, t.fieldId, t.version] })],
);

/**
 * DDL of the tables above, applied by `migrateSystem` in order; append, never edit.
 * (Written out rather than generated: drizzle-kit cannot run without a terminal for some diffs.)
 */
export const SYSTEM_MIGRATIONS: string[][] = [
  [
    `CREATE TABLE crm_meta.workspaces (
      id text PRIMARY KEY, name text NOT NULL, schema_name text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE TABLE crm_meta.modules (
      workspace_id text NOT NULL REFERENCES crm_meta.workspaces(id), id text NOT NULL, name text NOT NULL,
      draft jsonb, draft_updated_at timestamptz, published_version integer,
      archived boolean NOT NULL DEFAULT false, created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (workspace_id, id))`,
    `CREATE TABLE crm_meta.module_versions (
      workspace_id text NOT NULL, module_id text NOT NULL, version integer NOT NULL,
      definition jsonb NOT NULL, plan jsonb NOT NULL,
      published_at timestamptz NOT NULL DEFAULT now(), published_by uuid,
      PRIMARY KEY (workspace_id, module_id, version),
      FOREIGN KEY (workspace_id, module_id) REFERENCES crm_meta.modules(workspace_id, id))`,
    `CREATE TABLE crm_meta.archived_columns (
      workspace_id text NOT NULL, module_id text NOT NULL, field_id text NOT NULL, version integer NOT NULL,
      field jsonb NOT NULL, table_name text NOT NULL, columns text[] NOT NULL,
      archived_at timestamptz NOT NULL DEFAULT now(), purged_at timestamptz,
      PRIMARY KEY (workspace_id, module_id, field_id, version))`,
  ],
];
