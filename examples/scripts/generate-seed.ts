// Writes the sample data of the example packages (examples/<package>/seed.json), the same on every
// run: npx tsx examples/scripts/generate-seed.ts. The output is committed, so `crm start --demo`
// needs no generation step. Dates are written relative to the import day ({ "$today": -3 }).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from '@crm/engine';
import { customerSeed } from './seed/customers.ts';
import { opportunitySeed } from './seed/opportunities.ts';
import { Random } from './seed/random.ts';
import { stockSeed } from './seed/stock.ts';

/** The three packages' seeds, from one random sequence with a fixed start. */
export function exampleSeeds() {
  const random = new Random(20260801);
  const customers = customerSeed(random);
  const partners = customers.customers.filter((c) => c.owner).map((c) => c.name);
  const stock = stockSeed(random, partners);
  const opportunities = opportunitySeed(random, customers.customers, stock.products);
  return { customer: customers, stock, opportunity: opportunities };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const examples = fileURLToPath(new URL('..', import.meta.url));
  const seeds = exampleSeeds();
  for (const [name, seed] of Object.entries(seeds)) {
    await writeFile(join(examples, name, 'seed.json'), canonicalJson(seed.file));
    console.log(`examples/${name}/seed.json: ${seed.file.records.length} records`);
  }
}
