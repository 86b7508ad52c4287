// Sample customers (a fifth of them in the pool), their contacts, visits, calls, visitors and
// complaints.
import type { SeedFile, SeedRecord } from '@crm/cli';
import {
  BRANDS,
  CITIES,
  CONTACT_JOBS,
  DISTRICTS,
  FEMALE_NAMES,
  GIVEN_NAMES,
  INDUSTRIES,
  PUBLIC_BODIES,
  ROADS,
  SURNAMES,
  TRAITS,
} from './names.ts';
import { MANAGERS, REPS, SALES_DEPARTMENTS, SALES_PEOPLE } from './organisation.ts';
import { cny, day, moment, type Random } from './random.ts';

export interface SampleCustomer {
  key: string;
  name: string;
  relationship: string;
  /** Key of the owning user; none: in the pool. */
  owner?: string;
  contacts: string[];
}

export interface CustomerSeed {
  file: SeedFile;
  customers: SampleCustomer[];
}

const CUSTOMERS = 300;

export function customerSeed(random: Random): CustomerSeed {
  const records: SeedRecord[] = [];
  const names = new Set<string>();
  const people = new Set<string>();
  const customers: SampleCustomer[] = [];
  const owners = [...REPS, ...REPS, ...MANAGERS].map((u) => u.key);

  const personName = () => {
    for (;;) {
      const name = random.pick(SURNAMES) + random.pick(GIVEN_NAMES);
      if (!people.has(name)) {
        people.add(name);
        return name;
      }
    }
  };
  const mobile = () => `1${random.pick(['3', '5', '7', '8', '9'])}${random.digits(1)}${random.digits(8)}`;

  for (let i = 0; i < CUSTOMERS; i++) {
    const [province, city, areaCode] = random.weighted(CITIES.map((c) => [c, c[3]] as const));
    const type = random.weighted([
      ['enterprise', 80],
      ['distributor', 10],
      ['public', 7],
      ['individual', 3],
    ] as const);
    const industry =
      type === 'public'
        ? 'public_sector'
        : random.weighted(Object.entries(INDUSTRIES).map(([value, info]) => [value, info.weight] as const));
    let name: string;
    do {
      if (type === 'public') name = `${city}市${random.pick(PUBLIC_BODIES)}`;
      else if (type === 'individual') name = `${personName()}（个人）`;
      else {
        const words = INDUSTRIES[industry].words;
        const suffix = random.weighted([
          ['有限公司', 7],
          ['股份有限公司', 2],
          ['集团有限公司', 1],
        ] as const);
        name = `${city}${random.pick(BRANDS)}${random.pick(words)}${suffix}`;
      }
    } while (names.has(name));
    names.add(name);

    const inPool = random.chance(0.2);
    const relationship = inPool
      ? random.weighted([
          ['prospect', 6],
          ['intent', 2],
          ['lost', 2],
        ] as const)
      : random.weighted([
          ['prospect', 20],
          ['intent', 22],
          ['current', 40],
          ['loyal', 10],
          ['lost', 8],
        ] as const);
    const owner = inPool ? undefined : random.pick(owners);
    const trading = relationship === 'current' || relationship === 'loyal';
    const key = `c${i + 1}`;
    const values: Record<string, unknown> = {
      name,
      customer_type: type,
      industry,
      size:
        type === 'individual'
          ? undefined
          : random.pick(['micro', 'small', 'small', 'medium', 'medium', 'large', 'xlarge']),
      source: random.pick([
        'referral',
        'website',
        'trade_fair',
        'cold_call',
        'advertising',
        'search',
        'channel',
        'campaign',
      ]),
      relationship,
      province,
      city,
      address: `${city}市${random.pick(DISTRICTS)}${random.pick(ROADS)}${random.int(1, 999)}号`,
      phone: `${areaCode}-${random.digits(areaCode.length === 3 ? 8 : 7)}`,
      legal_representative: type === 'individual' ? undefined : personName(),
      main_business: industry === 'public_sector' ? '公共服务' : random.pick(INDUSTRIES[industry].business),
    };
    if (trading) {
      values.credit_rating = random.weighted([
        ['AAA', 2],
        ['AA', 4],
        ['A', 4],
        ['B', 2],
        ['C', 1],
      ] as const);
      values.credit_limit = cny(random.pick([50000, 100000, 200000, 300000, 500000, 1000000]));
    }
    if (owner) {
      values.owner = `@${owner}`;
      if (random.chance(0.3))
        values.claimed_at = moment(
          -random.int(30, 200),
          `${pad(random.int(9, 17))}:${random.pick(['05', '20', '45'])}`,
        );
    } else {
      const reason = random.weighted([
        ['new', 5],
        ['no_follow_up', 3],
        ['released', 2],
      ] as const);
      values.pool_reason = reason;
      if (reason !== 'new') values.pool_returned_at = moment(-random.int(1, 90), '02:00');
    }
    records.push({ module: 'customer', key, values: clean(values) });
    customers.push({ key, name, relationship, owner, contacts: [] });
  }

  // contacts: one to three per customer, the first the primary one
  for (const customer of customers) {
    const count = customer.owner ? random.int(1, 3) : 1;
    for (let n = 0; n < count; n++) {
      const name = personName();
      const [department, jobs] = n === 0 ? random.pick(CONTACT_JOBS.slice(0, 2)) : random.pick(CONTACT_JOBS);
      const given = name.slice(1);
      const key = `${customer.key}_p${n + 1}`;
      customer.contacts.push(name);
      records.push({
        module: 'contact',
        key,
        values: clean({
          owner: customer.owner ? `@${customer.owner}` : undefined,
          name,
          customer: `@${customer.key}`,
          gender: FEMALE_NAMES.has(given) ? 'female' : 'male',
          department,
          job_title: random.pick(jobs),
          decision_role:
            department === '总经办'
              ? 'decision_maker'
              : department === '采购部'
                ? 'gatekeeper'
                : random.pick(['influencer', 'evaluator', 'user']),
          attitude: random.weighted([
            ['supportive', 4],
            ['neutral', 5],
            ['opposed', 1],
          ] as const),
          is_primary: n === 0,
          mobile: mobile(),
          birthday: random.chance(0.3)
            ? `19${random.int(65, 95)}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`
            : undefined,
          traits: random.chance(0.35) ? random.pick(TRAITS) : undefined,
        }),
      });
    }
  }

  records.push(...visits(random, customers));
  records.push(...calls(random, customers, mobile, personName));
  records.push(...visitors(random, customers, mobile, personName));
  records.push(...complaints(random, customers));

  return {
    file: { organisation: { departments: SALES_DEPARTMENTS, users: SALES_PEOPLE }, records },
    customers,
  };
}

const PURPOSES: [string, string, string[]][] = [
  [
    'first_visit',
    '初次拜访',
    [
      '介绍公司和主要产品线，了解客户现有设备和使用情况。',
      '与客户初步认识，留下产品资料，约定下次详细交流。',
    ],
  ],
  [
    'needs',
    '需求调研',
    [
      '调研办公室扩建后的打印和网络设备需求，约需新增 40 个工位。',
      '了解客户安防监控改造计划，现有摄像头老化，希望明年一季度完成。',
    ],
  ],
  [
    'demo',
    '产品演示',
    [
      '在客户会议室演示智能会议平板和无线投屏，客户对触控效果满意。',
      '现场演示网络摄像机夜视效果，客户技术部提出存储时长要求。',
    ],
  ],
  [
    'negotiation',
    '商务洽谈',
    ['就报价和付款方式进行洽谈，客户希望分三期付款。', '讨论合同条款，客户要求延长质保期至三年。'],
  ],
  [
    'relationship',
    '关系维护',
    ['节前拜访，赠送公司台历，了解今年采购预算。', '与客户负责人午餐交流，对方透露下半年有新项目。'],
  ],
  [
    'collection',
    '回款催收',
    ['沟通第二期款项支付进度，财务承诺月底前付款。', '核对发票信息，确认到货款付款时间。'],
  ],
  [
    'after_sales',
    '售后回访',
    ['回访设备使用情况，客户反馈打印机卡纸问题已解决。', '检查监控系统运行情况，建议增加一块备用硬盘。'],
  ],
];
const NEXT_STEPS = [
  '发送正式报价',
  '安排技术交流会',
  '提交方案建议书',
  '邀请客户参观展厅',
  '跟进预算审批进度',
  '准备合同草稿',
  '约见采购负责人',
];

function visits(random: Random, customers: SampleCustomer[]): SeedRecord[] {
  const records: SeedRecord[] = [];
  for (const customer of customers) {
    if (!customer.owner || customer.relationship === 'prospect') continue;
    // a few trading customers were last seen long ago: the churn warning has something to show
    const neglected = random.chance(0.15);
    const count = random.int(1, customer.relationship === 'loyal' ? 5 : 3);
    for (let n = 0; n < count; n++) {
      const ago = neglected ? random.int(70, 160) : random.int(1, 120);
      const [purpose, label, contents] = random.pick(PURPOSES);
      const next = random.chance(0.5) ? random.int(3, 30) : undefined;
      records.push({
        module: 'visit',
        values: clean({
          owner: `@${customer.owner}`,
          subject: `${label}：${shortName(customer.name)}`,
          customer: `@${customer.key}`,
          contact: `@${customer.key}_p${random.int(1, customer.contacts.length)}`,
          visit_date: day(-ago),
          visit_type: random.weighted([
            ['on_site', 7],
            ['video', 2],
            ['dinner', 1],
          ] as const),
          purpose,
          content: random.pick(contents),
          customer_feedback: random.chance(0.5)
            ? random.pick([
                '反馈积极，希望尽快看到方案。',
                '认为价格偏高，需要内部再讨论。',
                '对售后服务比较关心。',
              ])
            : undefined,
          next_step: next ? random.pick(NEXT_STEPS) : undefined,
          next_visit: next ? day(-ago + next) : undefined,
        }),
      });
    }
  }
  return records;
}

const CALL_TOPICS = [
  '咨询打印机租赁方案',
  '询问网络摄像机价格',
  '会议平板报价咨询',
  '售后报修',
  '了解交换机型号',
  '询问发票开具',
  '预约上门演示',
  '耗材批量采购咨询',
];

function calls(
  random: Random,
  customers: SampleCustomer[],
  mobile: () => string,
  personName: () => string,
): SeedRecord[] {
  const records: SeedRecord[] = [];
  for (let i = 0; i < 200; i++) {
    const known = random.chance(0.75) ? random.pick(customers) : undefined;
    const inbound = !known?.owner || random.chance(0.5);
    const ago = random.int(0, 120);
    const followUp = random.chance(0.4);
    const followUpBy = known?.owner ?? random.pick(REPS).key;
    const contactIndex = known ? random.int(1, known.contacts.length) : 0;
    records.push({
      module: 'phone_call',
      values: clean({
        owner: known?.owner ? `@${known.owner}` : undefined,
        topic: random.pick(CALL_TOPICS),
        direction: inbound ? 'inbound' : 'outbound',
        call_time: moment(-ago, `${pad(random.int(9, 17))}:${pad(random.int(0, 59))}`),
        caller: known ? known.contacts[contactIndex - 1] : personName(),
        phone: mobile(),
        customer: known ? `@${known.key}` : undefined,
        contact: known ? `@${known.key}_p${contactIndex}` : undefined,
        channel: inbound
          ? random.pick(['website', 'search', 'referral', 'advertising', 'trade_fair'])
          : undefined,
        intent: random.pick(['high', 'medium', 'medium', 'low', 'none']),
        duration_minutes: random.int(1, 25),
        summary: random.pick([
          '客户希望收到详细报价单，已记录需求数量。',
          '已解答问题，客户表示会再联系。',
          '约定下周上门演示。',
          '转售后工程师处理。',
        ]),
        follow_up_by: followUp ? `@${followUpBy}` : undefined,
        follow_up_date: followUp ? day(-ago + random.int(1, 7)) : undefined,
      }),
    });
  }
  return records;
}

function visitors(
  random: Random,
  customers: SampleCustomer[],
  mobile: () => string,
  personName: () => string,
): SeedRecord[] {
  const records: SeedRecord[] = [];
  for (let i = 0; i < 40; i++) {
    const known = random.chance(0.6) ? random.pick(customers.filter((c) => c.owner)) : undefined;
    const hour = random.int(9, 15);
    const ago = random.int(1, 120);
    records.push({
      module: 'visitor',
      values: clean({
        owner: known?.owner ? `@${known.owner}` : undefined,
        visitor_name: known ? known.contacts[0] : personName(),
        company: known ? known.name : `${random.pick(CITIES)[1]}${random.pick(BRANDS)}科技有限公司`,
        customer: known ? `@${known.key}` : undefined,
        phone: mobile(),
        companions: random.int(0, 3),
        arrived_at: moment(-ago, `${pad(hour)}:${random.pick(['00', '15', '30'])}`),
        left_at: moment(-ago, `${pad(hour + random.int(1, 2))}:${random.pick(['10', '40'])}`),
        heard_from: random.pick(['referral', 'website', 'trade_fair', 'advertising']),
        needs: random.pick([
          '参观展厅，了解智能会议室整体方案。',
          '考察安防监控产品，计划新厂区安装。',
          '洽谈年度打印耗材供应。',
          '了解设备租赁与维保服务。',
        ]),
        budget: random.chance(0.6) ? cny(random.pick([30000, 80000, 150000, 300000, 500000])) : undefined,
        consultant: `@${known?.owner ?? random.pick(REPS).key}`,
      }),
    });
  }
  return records;
}

function complaints(random: Random, customers: SampleCustomer[]): SeedRecord[] {
  const records: SeedRecord[] = [];
  const trading = customers.filter(
    (c) => c.owner && (c.relationship === 'current' || c.relationship === 'loyal'),
  );
  const issues: [string, string, string][] = [
    ['quality', '打印机频繁卡纸', '新购 6 台激光打印机中 2 台频繁卡纸，影响日常办公。'],
    ['delivery', '交换机到货延迟', '合同约定到货日期已过一周，项目现场等待安装。'],
    ['installation', '摄像头安装位置不当', '仓库东侧两个摄像头有盲区，需要调整。'],
    ['service', '售后响应慢', '报修后两天无人联系，客户很不满意。'],
    ['billing', '发票抬头错误', '第二期发票抬头开错，需要重开。'],
  ];
  for (let i = 0; i < 25; i++) {
    const customer = random.pick(trading);
    const [category, subject, description] = random.pick(issues);
    const ago = random.int(1, 100);
    const deadline = random.int(3, 10);
    const done = ago > 12 ? random.chance(0.85) : random.chance(0.2);
    const resolvedAfter = Math.min(ago, random.int(1, deadline + 2));
    records.push({
      module: 'complaint',
      values: clean({
        owner: `@${customer.owner}`,
        subject,
        customer: `@${customer.key}`,
        contact: `@${customer.key}_p1`,
        received_at: moment(-ago, `${pad(random.int(9, 16))}:${pad(random.int(0, 59))}`),
        category,
        severity: random.pick(['high', 'medium', 'medium', 'low']),
        description,
        handler: `@${customer.owner}`,
        deadline: day(-ago + deadline),
        status: done ? random.pick(['resolved', 'closed']) : random.pick(['open', 'processing']),
        resolved_at: done ? moment(-ago + resolvedAfter, '18:00') : undefined,
        outcome: done
          ? random.pick([
              '已上门处理并更换配件，客户确认问题解决。',
              '协调物流加急发货，并赠送一年延保。',
              '已重新开具发票并快递寄出。',
            ])
          : undefined,
        satisfaction: done ? random.pick(['satisfied', 'satisfied', 'neutral', 'dissatisfied']) : undefined,
      }),
    });
  }
  return records;
}

/** The name without the city and the company form, as people say it. */
export function shortName(name: string): string {
  return name.replace(/(集团有限公司|股份有限公司|有限公司)$/, '').replace(/^(.{2,3}?)(?=.{4,})/, '');
}

export function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Leaves out the values that are not set. */
export function clean(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}
