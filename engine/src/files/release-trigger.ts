import { quoteIdent } from '../storage/naming.ts';

/**
 * A statement trigger on a module table with file fields: purging records (a real DELETE) releases
 * their files, whichever path deletes them. A soft delete is an UPDATE and keeps them attached.
 */
export function releaseFilesTrigger(schema: string, table: string, moduleId: string): string {
  return `CREATE OR REPLACE TRIGGER _release_files AFTER DELETE ON ${table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION ${quoteIdent(schema)}._release_files('${moduleId.replace(/'/g, "''")}')`;
}
