// The cost of row-level access scopes on a big list, as a ratio against the same list read as an
// admin in the same run. Run: npx tsx test/bench/access.ts  (BENCH_ROWS, BENCH_PAGES change the sizes)
//
// 1,000,000 deals owned by ~900 users spread over a five-level department tree (1 › 4 › 12 › 36 › 72
// departments). A manager at each level below the root holds a role reading their department and
// below (department_tree); each walks PAGES sorted pages of 50 (keyset cursor), as does an admin.
import { randomUUID } from 'node:crypto';
import { type Actor, announceAccessChange, Engine, openPostgres, type Workspace } from '@crm/engine';
import postgres from 'postgres';
import { startCluster } from '../support/postgres-server.ts';
import { BENCH_MODULE } from './module.ts';
import { fmt, runConcurrent } from './stats.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const PAGES = Number(process.env.BENCH_PAGES ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FAN_OUT = [4, 3, 3, 2]; // children per department, level 1 → 5
const USERS_PER_LEAF = 8;

interface Department {
  id: string;
  path: string;
  level: number;
}

async function buildOrganisation(raw: postgres.Sql, schema: string) {
  const departments: Department[] = [];
  const add = (parent: Department | undefined, level: number): Department => {
    const id = randomUUID();
    const department = { id, path: `${parent?.path ?? '/'}${id}/`, level };
    departments.push(department);
    if (level <= FAN_OUT.length) for (let i = 0; i < FAN_OUT[level - 1]; i++) add(department, level + 1);
    return department;
  };
  add(undefined, 1);
  for (const d of departments) {
    const parent = d.path.split('/').filter(Boolean).at(-2) ?? null;
    await raw.unsafe(
      `INSERT INTO ${schema}._departments (id, name, parent_id, path) VALUES ($1, $2, $3, $4)`,
      [d.id, JSON.stringify({ en: `Department ${d.level}` }), parent, d.path],
    );
  }
  // people mostly in the lower levels, as in a sales organisation
  const users: { id: string; department: Department }[] = [];
  for (const d of departments) {
    const count = d.level >= 4 ? USERS_PER_LEAF : 2;
    for (let i = 0; i < count; i++) users.push({ id: randomUUID(), department: d });
  }
  for (const [i, u] of users.entries()) {
    await raw.unsafe(
      `INSERT INTO ${schema}._users (id, username, display_name, department_id) VALUES ($1, $2, $2, $3)`,
      [u.id, `user${i}`, u.department.id],
    );
  }
  return { departments, users };
}

async function main() {
  console.log('Starting PostgreSQL…');
  const cluster = await startCluster({ autovacuum: 'on' });
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe('CREATE DATABASE bench');
  await admin.end();
  const databaseUrl = cluster.url.replace(/\/postgres$/, '/bench');
  const engine = await Engine.open({ db: await openPostgres(databaseUrl) });
  const raw = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  try {
    const workspace = await engine.workspace('default');
    await workspace.definitions.saveDraft(BENCH_MODULE);
    await workspace.definitions.publish();
    const schema = workspace.schema;
    const { departments, users } = await buildOrganisation(raw, schema);
    console.log(`${departments.length} departments in 5 levels, ${users.length} users`);

    const t0 = performance.now();
    // what the engine's create writes too: each record keeps its owner's department path
    await raw.unsafe(
      `CREATE TEMP TABLE owners AS SELECT u.id, d.path, (row_number() OVER (ORDER BY u.id)) - 1 AS n
       FROM ${schema}._users u JOIN ${schema}._departments d ON d.id = u.department_id`,
    );
    await raw.unsafe(`
      INSERT INTO ${schema}.deal (id, owner, owner__path, created_at, updated_at, title, stage, amount, amount__currency, probability, weighted, close_date, email)
      SELECT gen_random_uuid(), o.id, o.path, now() - (g || ' seconds')::interval, now(), 'Deal ' || g,
        (ARRAY['initial','needs','proposal','negotiation','won','lost'])[1 + g % 6],
        1000 + (g::bigint * 7919) % 2000000, 'CNY', (g * 13) % 101, ((1000 + (g::bigint * 7919) % 2000000) * ((g * 13) % 101)) / 100.0,
        DATE '2026-01-01' + (g % 365), 'buyer' || g || '@example.cn'
      FROM generate_series(1, ${ROWS}) g JOIN owners o ON o.n = (g::bigint * 7) % ${users.length}`);
    await raw.unsafe(`VACUUM ANALYZE ${schema}.deal`);
    await raw.unsafe(`ANALYZE ${schema}._users`);
    await raw.unsafe(`ANALYZE ${schema}._departments`);
    console.log(`loaded ${ROWS.toLocaleString('en')} rows in ${fmt((performance.now() - t0) / 1000)} s`);

    await workspace.access.roles.create(
      {
        id: 'tree_reader',
        label: { en: 'Reads their department and below' },
        modules: { [BENCH_MODULE.id]: { read: 'department_tree' } },
      },
      { userId: null },
    );
    const adminId = randomUUID();
    await raw.unsafe(
      `INSERT INTO ${schema}._users (id, username, display_name, is_admin) VALUES ($1, 'admin', 'Admin', true)`,
      [adminId],
    );
    const managers: { level: number; actor: Actor; share: number }[] = [];
    for (const level of [2, 3, 4]) {
      const department = departments.find((d) => d.level === level) as Department;
      const id = randomUUID();
      await raw.unsafe(
        `INSERT INTO ${schema}._users (id, username, display_name, department_id) VALUES ($1, $2, $2, $3)`,
        [id, `manager${level}`, department.id],
      );
      await raw.unsafe(`INSERT INTO ${schema}._user_roles (user_id, role_id) VALUES ($1, 'tree_reader')`, [
        id,
      ]);
      const share = users.filter((u) => u.department.path.startsWith(department.path)).length / users.length;
      managers.push({ level, actor: { userId: id }, share });
    }
    await engine.db.transaction((tx) => announceAccessChange(tx, workspace.id));
    await benchScopes(workspace, { userId: adminId }, managers);
  } finally {
    await raw.end();
    await engine.close();
    cluster.stop();
  }
}

async function benchScopes(
  workspace: Workspace,
  admin: Actor,
  managers: { level: number; actor: Actor; share: number }[],
) {
  const sorts = ['-created_at', '-amount'];
  for (const sort of sorts) {
    console.log(
      `\n## A page of 50 sorted by ${sort}, ${PAGES} pages (keyset cursor, a new walk every 50 pages)`,
    );
    const walk = (actor: Actor) => {
      let cursor: string | undefined;
      return runConcurrent(PAGES, 1, async (i) => {
        if (i % 50 === 0) cursor = undefined;
        const page = await workspace.records.list('deal', actor, { sort, limit: 50, cursor });
        if (page.data.length < 50) throw new Error(`short page: ${page.data.length}`);
        cursor = page.nextCursor ?? undefined;
      });
    };
    for (const m of managers) {
      await walk(admin);
      await walk(m.actor);
      // alternate, so a noisy moment hits both; report the median round
      const rounds: { base: Awaited<ReturnType<typeof walk>>; scoped: Awaited<ReturnType<typeof walk>> }[] =
        [];
      for (let round = 0; round < ROUNDS; round++)
        rounds.push({ base: await walk(admin), scoped: await walk(m.actor) });
      rounds.sort((a, b) => a.scoped.p50 / a.base.p50 - b.scoped.p50 / b.base.p50);
      const { base, scoped } = rounds[Math.floor(rounds.length / 2)];
      console.log(
        `level-${m.level} manager (department_tree, ${fmt(m.share * 100)}% of the records): ` +
          `p50 ${fmt(scoped.p50, 2)} ms, p95 ${fmt(scoped.p95, 2)} ms; admin p50 ${fmt(base.p50, 2)} ms, p95 ${fmt(base.p95, 2)} ms ` +
          `→ ratio p50 ${fmt(scoped.p50 / base.p50, 2)}, p95 ${fmt(scoped.p95 / base.p95, 2)}`,
      );
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
