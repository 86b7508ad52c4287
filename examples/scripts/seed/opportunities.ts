// Sample opportunities at every stage with their decision chains and quotes, contracts with payment
// plans, and the receivables of each instalment.
import type { SeedFile, SeedRecord } from '@crm/cli';
import { clean, type SampleCustomer, shortName } from './customers.ts';
import { ACCOUNTANTS, FINANCE_DEPARTMENTS, SALES_DEPARTMENTS, SALES_PEOPLE } from './organisation.ts';
import { cny, day, type Random } from './random.ts';
import type { SampleProduct } from './stock.ts';

const STAGES: [string, number][] = [
  ['initial', 10],
  ['needs', 10],
  ['proposal', 12],
  ['negotiation', 10],
  ['won', 12],
  ['lost', 6],
];
const TOPICS = [
  '办公设备升级',
  '安防监控改造',
  '网络布线与交换',
  '智能会议室建设',
  '打印服务年度采购',
  '新厂区弱电工程',
  '分支机构网络建设',
];
const ROLES = ['decision_maker', 'influencer', 'evaluator', 'user', 'gatekeeper'];

export interface SampleContract {
  key: string;
  customer: string;
  /** In cents, to add up exactly. */
  amountCents: number;
  received: number;
}

export interface OpportunitySeed {
  file: SeedFile;
  contracts: SampleContract[];
}

const find = (module: string, field: string, value: string) => ({ $find: { module, field, value } });

export function opportunitySeed(
  random: Random,
  customers: SampleCustomer[],
  products: SampleProduct[],
): OpportunitySeed {
  const records: SeedRecord[] = [];
  const contracts: SampleContract[] = [];
  const working = customers.filter((c) => c.owner && c.relationship !== 'lost');
  const customerRef = (c: SampleCustomer) => find('customer', 'name', c.name);
  const contactRef = (name: string) => find('contact', 'name', name);

  let quoteNo = 0;
  let contractNo = 0;
  let n = 0;
  for (const [stage, count] of STAGES) {
    for (let i = 0; i < count; i++) {
      n++;
      const customer = random.pick(working);
      const key = `o${n}`;
      const open = stage !== 'won' && stage !== 'lost';
      const closedAgo = random.int(5, 120);
      // the lines of the last quote decide the amount
      const lines = random.sample(products, random.int(1, 5)).map((p) => ({
        sku: p.sku,
        quantity: random.int(1, 20) * (p.listPrice < 1000 ? 5 : 1),
        listPrice: p.listPrice,
        discount: random.pick([0, 0, 5, 8, 10, 12, 15, 20, 25]),
      }));
      const totalCents = lines.reduce((sum, l) => sum + l.quantity * l.listPrice * (100 - l.discount), 0);
      const chain = random.sample(customer.contacts, Math.min(customer.contacts.length, random.int(1, 3)));
      records.push({
        module: 'opportunity',
        key,
        values: clean({
          owner: `@${customer.owner}`,
          title: `${shortName(customer.name)}${random.pick(TOPICS)}`,
          customer: customerRef(customer),
          source: random.pick(['referral', 'website', 'trade_fair', 'cold_call', 'campaign']),
          stage,
          amount: cny(totalCents / 100),
          expected_close: open ? day(random.int(10, 120)) : day(-closedAgo),
          competitors: random.sample(
            ['kingdee', 'yonyou', 'sap', 'fxiaoke', 'local', 'other'],
            random.int(0, 2),
          ),
          decision_chain: chain.map((name, index) => ({
            contact: contactRef(name),
            role: index === 0 ? 'decision_maker' : random.pick(ROLES.slice(1)),
            attitude: random.pick(['supportive', 'supportive', 'neutral', 'opposed']),
          })),
          next_step: open
            ? random.pick(['提交技术方案', '安排产品演示', '等待预算审批', '准备商务报价', '约见决策人'])
            : undefined,
          loss_reason:
            stage === 'lost' ? random.pick(['price', 'competitor', 'budget', 'timing']) : undefined,
        }),
      });

      if (stage === 'initial' || stage === 'needs') continue;
      const quoted = stage === 'won' || stage === 'lost' ? closedAgo + random.int(5, 20) : random.int(1, 30);
      const maxDiscount = Math.max(...lines.map((l) => l.discount));
      quoteNo++;
      records.push({
        module: 'quote',
        key: `q${quoteNo}`,
        values: {
          owner: `@${customer.owner}`,
          opportunity: `@${key}`,
          quote_date: day(-quoted),
          valid_until: day(-quoted + 30),
          lines: lines.map((l) => ({
            product: find('product', 'sku', l.sku),
            quantity: l.quantity,
            list_price: cny(l.listPrice),
            discount: l.discount,
          })),
          approval:
            stage === 'won'
              ? 'approved'
              : maxDiscount > 10
                ? random.pick(['pending', 'approved', 'rejected'])
                : 'approved',
          terms: '报价含13%增值税及运输费用；交货期：合同签订后15个工作日内；质保：整机一年。',
        },
      });

      if (stage !== 'won') continue;
      contractNo++;
      contracts.push(
        contract(random, records, `k${contractNo}`, customer, totalCents, closedAgo, {
          opportunity: `@${key}`,
          quote: `@q${quoteNo}`,
        }),
      );
    }
  }

  // earlier contracts of trading customers, so their value classes differ
  const trading = customers.filter(
    (c) => c.owner && (c.relationship === 'current' || c.relationship === 'loyal'),
  );
  for (const customer of random.sample(trading, 30)) {
    contractNo++;
    const amount = random.pick([38000, 65000, 120000, 280000, 450000, 860000, 1250000]) * 100;
    contracts.push(contract(random, records, `k${contractNo}`, customer, amount, random.int(130, 400), {}));
  }

  return {
    file: {
      organisation: {
        departments: [...SALES_DEPARTMENTS, ...FINANCE_DEPARTMENTS],
        users: [...SALES_PEOPLE, ...ACCOUNTANTS],
      },
      records,
    },
    contracts,
  };
}

/** A contract signed `signedAgo` days ago, its payment plan and a receivable per instalment. */
function contract(
  random: Random,
  records: SeedRecord[],
  key: string,
  customer: SampleCustomer,
  amountCents: number,
  signedAgo: number,
  links: Record<string, unknown>,
): SampleContract {
  const plan: [string, number, number][] = random.chance(0.6)
    ? [
        ['advance', 30, 0],
        ['delivery', 60, 30],
        ['retention', 10, 365],
      ]
    : [
        ['advance', 50, 0],
        ['acceptance', 50, 45],
      ];
  let left = amountCents;
  const rows = plan.map(([instalment, share, after], index) => {
    const cents = index === plan.length - 1 ? left : Math.round((amountCents * share) / 100);
    left -= cents;
    return { instalment, share, after, cents };
  });
  const completed = signedAgo > 365;
  records.push({
    module: 'contract',
    key,
    values: clean({
      owner: `@${customer.owner}`,
      title: `${shortName(customer.name)}设备采购合同`,
      customer: { $find: { module: 'customer', field: 'name', value: customer.name } },
      ...links,
      customer_signer: { $find: { module: 'contact', field: 'name', value: customer.contacts[0] } },
      signed_on: day(-signedAgo),
      starts_on: day(-signedAgo),
      ends_on: day(-signedAgo + 365),
      amount: cny(amountCents / 100),
      status: completed ? 'completed' : 'active',
      payment_plan: rows.map((r) => ({
        instalment: r.instalment,
        due_on: day(-signedAgo + r.after),
        share: r.share,
        amount: cny(r.cents / 100),
      })),
    }),
  });
  let receivedCents = 0;
  const labels: Record<string, string> = {
    advance: '预付款',
    delivery: '到货款',
    acceptance: '验收款',
    retention: '质保金',
  };
  for (const r of rows) {
    const dueAgo = signedAgo - r.after;
    // most instalments that fell due were paid, some late or in part; later ones are open
    const paid =
      dueAgo > 0
        ? random.weighted([
            [1, 7],
            [0.5, 1],
            [0, 2],
          ] as const)
        : 0;
    const cents = Math.round(r.cents * paid);
    receivedCents += cents;
    records.push({
      module: 'receivable',
      values: clean({
        owner: `@${customer.owner}`,
        contract: `@${key}`,
        instalment: labels[r.instalment],
        due_on: day(-dueAgo),
        amount: cny(r.cents / 100),
        received: cny(cents / 100),
        received_on: cents > 0 ? day(-Math.max(0, dueAgo - random.int(0, 10))) : undefined,
        invoice_number: cents > 0 ? random.digits(8) : undefined,
      }),
    });
  }
  return { key, customer: customer.name, amountCents, received: receivedCents };
}
