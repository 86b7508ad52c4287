// The opportunity package: opportunities with their decision chain, quotes with lines, sales
// contracts with a payment plan, receivables; and the customer's value from its contracts.
import type { ModuleDefinition } from '@crm/engine';
import { fieldsOf, module, money, options, rule, t } from './build.ts';
import { CONTACT, CUSTOMER, customer } from './customer.ts';
import { PRODUCT } from './stock.ts';
import { ATTITUDES, DECISION_ROLES, SOURCES } from './vocabulary.ts';

export const OPPORTUNITY = 'mod_opportunity';
export const QUOTE = 'mod_quote';
export const CONTRACT = 'mod_contract';
export const RECEIVABLE = 'mod_receivable';

/** Stages a deal is still being worked in. */
export const OPEN_STAGES = '["initial", "needs", "proposal", "negotiation"]';
/** Contracts that count as business done with the customer. */
const SIGNED = '["active", "completed"]';

const c = fieldsOf('cust');

/**
 * The customer as the opportunity package has it: the customer package's, plus its contract total
 * and the A/B/C/D value class derived from it (the 80/20 rule: A customers get the shortest visit
 * interval).
 */
export const valuedCustomer: ModuleDefinition = {
  ...customer,
  fields: [
    ...customer.fields,
    c('contract_total', 'rollup', t('Contract total', '合同总额'), {
      over: 'contracts',
      aggregate: 'sum',
      field: 'amount',
      currency: 'CNY',
      filter: `status in ${SIGNED}`,
      help: t('Active and completed contracts', '执行中和已完成的合同'),
    }),
    c('value_class', 'formula', t('Value class', '价值等级'), {
      help: t(
        'A: contracts of 1,000,000 or more; B: 300,000; C: 50,000; D: less',
        'A：合同额 100 万及以上；B：30 万及以上；C：5 万及以上；D：其余',
      ),
      expression:
        'if contract_total >= 1000000 then "A" else if contract_total >= 300000 then "B" ' +
        'else if contract_total >= 50000 then "C" else "D"',
      resultType: 'text',
    }),
    c('open_opportunities', 'rollup', t('Open opportunities', '进行中商机'), {
      over: 'opportunities',
      aggregate: 'count',
      filter: `stage in ${OPEN_STAGES}`,
    }),
  ],
  layout: {
    sections: [
      ...(customer.layout?.sections ?? []).slice(0, 3),
      {
        id: 'value',
        label: t('Business value', '客户价值'),
        columns: 3,
        fields: ['value_class', 'contract_total', 'open_opportunities'],
      },
      ...(customer.layout?.sections ?? []).slice(3),
    ],
  },
};

const o = fieldsOf('opp');
const dc = fieldsOf('oppdc');

export const opportunity = module({
  id: OPPORTUNITY,
  name: 'opportunity',
  label: t('Opportunity', '商机'),
  pluralLabel: t('Opportunities', '商机'),
  icon: 'target',
  titleField: 'title',
  fields: [
    o('number', 'autonumber', t('Number', '商机编号'), { pattern: 'SJ{YYYY}{0000}' }),
    o('title', 'text', t('Opportunity', '商机名称'), { required: true, maxLength: 120 }),
    o('customer', 'relation', t('Customer', '客户'), {
      required: true,
      target: CUSTOMER,
      inverse: { name: 'opportunities', label: t('Opportunities', '商机') },
    }),
    o('source', 'select', t('Source', '商机来源'), { options: options(SOURCES) }),
    o('stage', 'select', t('Stage', '销售阶段'), {
      required: true,
      indexed: true,
      defaultValue: '"initial"',
      options: options([
        ['initial', 'Initial contact', '初步接洽', '#d9d9d9'],
        ['needs', 'Needs analysis', '需求确认', '#1677ff'],
        ['proposal', 'Proposal and quote', '方案报价', '#722ed1'],
        ['negotiation', 'Negotiation', '商务谈判', '#fa8c16'],
        ['won', 'Won', '赢单', '#52c41a'],
        ['lost', 'Lost', '输单', '#ff4d4f'],
      ]),
    }),
    o('probability', 'formula', t('Probability', '赢单率'), {
      help: t('Set by the stage', '由销售阶段决定'),
      expression:
        'if stage = "initial" then 10 else if stage = "needs" then 25 else if stage = "proposal" then 50 ' +
        'else if stage = "negotiation" then 75 else if stage = "won" then 100 else 0',
      resultType: 'integer',
    }),
    o('amount', 'money', t('Expected amount', '预计金额'), money()),
    o('weighted_amount', 'formula', t('Weighted amount', '加权金额'), {
      expression: 'if amount = null then null else amount * probability / 100',
      resultType: 'decimal',
      scale: 2,
    }),
    o('expected_close', 'date', t('Expected close date', '预计成交日期'), { indexed: true }),
    o('stage_changed_at', 'changedAt', t('In this stage since', '进入本阶段时间'), { watch: ['stage'] }),
    o('stage_days', 'formula', t('Days in this stage', '本阶段停留天数'), {
      help: t('Counted when the opportunity was last saved', '按商机最后保存时计算'),
      expression: 'if stage_changed_at = null then null else (today() - date(stage_changed_at)).days',
      resultType: 'integer',
    }),
    o('competitors', 'multiSelect', t('Competitors', '竞争对手'), {
      options: options([
        ['kingdee', 'Kingdee', '金蝶'],
        ['yonyou', 'Yonyou', '用友'],
        ['sap', 'SAP', 'SAP'],
        ['oracle', 'Oracle', '甲骨文'],
        ['salesforce', 'Salesforce', 'Salesforce'],
        ['fxiaoke', 'Fxiaoke', '纷享销客'],
        ['local', 'Local vendor', '本地厂商'],
        ['other', 'Other', '其他'],
      ]),
    }),
    o('decision_chain', 'subtable', t('Decision chain', '决策链'), {
      maxRows: 20,
      fields: [
        dc('contact', 'relation', t('Contact', '联系人'), {
          required: true,
          unique: true,
          target: CONTACT,
          inverse: { name: 'decision_chains', label: t('In decision chains', '参与的决策链') },
        }),
        dc('role', 'select', t('Role', '决策角色'), { required: true, options: options(DECISION_ROLES) }),
        dc('attitude', 'select', t('Attitude', '态度'), { options: options(ATTITUDES) }),
        dc('note', 'text', t('Note', '备注'), { maxLength: 200 }),
      ],
    }),
    o('next_step', 'text', t('Next step', '下一步计划'), { maxLength: 200 }),
    o('loss_reason', 'select', t('Why lost', '输单原因'), {
      options: options([
        ['price', 'Price', '价格'],
        ['product', 'Product fit', '产品不匹配'],
        ['competitor', 'Competitor relationship', '竞争对手关系'],
        ['budget', 'No budget', '预算取消'],
        ['timing', 'Timing', '时机不成熟'],
        ['other', 'Other', '其他'],
      ]),
    }),
    o('quote_count', 'rollup', t('Quotes', '报价次数'), { over: 'quotes', aggregate: 'count' }),
  ],
  rules: [
    rule(
      'opp_close_not_past',
      'expected_close = null or expected_close >= today()',
      ['expected_close'],
      'An open opportunity cannot be expected to close in the past: update the date',
      '进行中的商机预计成交日期不能早于今天，请更新日期',
      `stage in ${OPEN_STAGES}`,
    ),
    rule(
      'opp_won_amount',
      'amount != null and amount > 0',
      ['amount'],
      'A won opportunity needs its amount',
      '赢单的商机必须填写金额',
      'stage = "won"',
    ),
    rule(
      'opp_loss_reason',
      'loss_reason != null',
      ['loss_reason'],
      'Say why the opportunity was lost',
      '输单时请填写输单原因',
      'stage = "lost"',
    ),
    rule(
      'opp_decision_makers',
      'count(decision_chain[role = "decision_maker"]) <= 3',
      ['decision_chain'],
      'At most three decision makers',
      '决策者最多三人',
    ),
  ],
  sections: [
    {
      id: 'main',
      label: t('Opportunity', '商机信息'),
      columns: 2,
      fields: ['number', 'title', 'customer', 'source', 'amount', 'expected_close'],
    },
    {
      id: 'progress',
      label: t('Progress', '推进情况'),
      columns: 3,
      fields: ['stage', 'probability', 'weighted_amount', 'stage_changed_at', 'stage_days', 'quote_count'],
    },
    { id: 'decision', label: t('Decision chain', '决策链'), columns: 1, fields: ['decision_chain'] },
    {
      id: 'competition',
      label: t('Competition and next step', '竞争与下一步'),
      columns: 2,
      fields: ['competitors', 'next_step', 'loss_reason'],
    },
  ],
});

const q = fieldsOf('quo');
const ql = fieldsOf('quol');

export const quote = module({
  id: QUOTE,
  name: 'quote',
  label: t('Quote', '报价单'),
  pluralLabel: t('Quotes', '报价单'),
  icon: 'file',
  titleField: 'number',
  fields: [
    q('number', 'autonumber', t('Quote number', '报价单号'), { pattern: 'BJ{YYYY}{MM}-{000}' }),
    q('opportunity', 'relation', t('Opportunity', '商机'), {
      required: true,
      target: OPPORTUNITY,
      inverse: { name: 'quotes', label: t('Quotes', '报价单') },
    }),
    q('quote_date', 'date', t('Quote date', '报价日期'), { required: true, defaultValue: 'today()' }),
    q('valid_until', 'date', t('Valid until', '有效期至'), {
      required: true,
      defaultValue: 'today() + duration("P30D")',
    }),
    q('lines', 'subtable', t('Lines', '报价明细'), {
      minRows: 1,
      maxRows: 100,
      fields: [
        ql('product', 'relation', t('Product', '商品'), {
          required: true,
          target: PRODUCT,
          inverse: { name: 'quote_lines', label: t('Quote lines', '报价明细') },
        }),
        ql('quantity', 'integer', t('Quantity', '数量'), { required: true, min: 1 }),
        ql('list_price', 'money', t('List price', '标准单价'), {
          ...money(),
          required: true,
          fetchFrom: 'product.list_price',
          help: t("The product's list price once picked", '选择商品后自动带出其标准售价'),
        }),
        ql('discount', 'percent', t('Discount', '折扣率'), {
          min: 0,
          max: 100,
          scale: 1,
          defaultValue: '0',
          help: t('Percent off the list price', '在标准单价上优惠的百分比'),
        }),
        ql('unit_price', 'formula', t('Unit price', '成交单价'), {
          expression: 'list_price * (100 - discount) / 100',
          resultType: 'decimal',
          scale: 2,
        }),
        ql('amount', 'formula', t('Amount', '金额'), {
          expression: 'quantity * list_price * (100 - discount) / 100',
          resultType: 'decimal',
          scale: 2,
        }),
      ],
      rules: [
        rule('quol_quantity', 'quantity > 0', ['quantity'], 'The quantity must be above 0', '数量必须大于 0'),
      ],
    }),
    q('list_total', 'formula', t('Total at list price', '标准总价'), {
      expression: 'sum(for l in lines return l.quantity * l.list_price)',
      resultType: 'decimal',
      scale: 2,
    }),
    q('total', 'formula', t('Quote total', '报价总额'), {
      help: t('Tax included', '含税'),
      expression: 'sum(for l in lines return l.amount)',
      resultType: 'decimal',
      scale: 2,
    }),
    q('discount_amount', 'formula', t('Discount given', '优惠金额'), {
      expression: 'list_total - total',
      resultType: 'decimal',
      scale: 2,
    }),
    q('discount_rate', 'formula', t('Overall discount', '整单折扣率'), {
      help: t(
        'Over 10 % needs the sales manager, over 20 % also the sales director',
        '超过 10% 需销售经理审批，超过 20% 还需销售总监会签',
      ),
      expression: 'if list_total = 0 then 0 else (list_total - total) / list_total * 100',
      resultType: 'decimal',
      scale: 1,
    }),
    q('tax_rate', 'percent', t('VAT rate', '增值税率'), { min: 0, max: 100, scale: 0, defaultValue: '13' }),
    q('tax_amount', 'formula', t('VAT included', '其中税额'), {
      expression: 'total * tax_rate / (100 + tax_rate)',
      resultType: 'decimal',
      scale: 2,
    }),
    q('approval', 'select', t('Approval', '审批状态'), {
      required: true,
      defaultValue: '"draft"',
      options: options([
        ['draft', 'Draft', '草稿'],
        ['pending', 'Awaiting approval', '审批中', '#fa8c16'],
        ['approved', 'Approved', '已批准', '#52c41a'],
        ['rejected', 'Rejected', '已驳回', '#ff4d4f'],
      ]),
    }),
    q('terms', 'longText', t('Terms', '报价条款'), { maxLength: 4000 }),
  ],
  rules: [
    rule(
      'quo_valid_after',
      'valid_until >= quote_date',
      ['valid_until'],
      'A quote is valid from its date on',
      '有效期不能早于报价日期',
    ),
    rule(
      'quo_discount_cap',
      'every l in lines satisfies l.discount <= 50',
      ['lines'],
      'No line can be discounted by more than 50 %',
      '单行折扣不能超过 50%',
    ),
  ],
  sections: [
    {
      id: 'quote',
      label: t('Quote', '报价信息'),
      columns: 2,
      fields: ['number', 'opportunity', 'quote_date', 'valid_until', 'approval'],
    },
    { id: 'lines', label: t('Lines', '报价明细'), columns: 1, fields: ['lines'] },
    {
      id: 'totals',
      label: t('Totals', '合计'),
      columns: 3,
      fields: ['list_total', 'discount_amount', 'discount_rate', 'total', 'tax_rate', 'tax_amount'],
    },
    { id: 'terms', label: t('Terms', '条款'), columns: 1, fields: ['terms'] },
  ],
});

const k = fieldsOf('ctr');
const pp = fieldsOf('ctrpp');

export const contract = module({
  id: CONTRACT,
  name: 'contract',
  label: t('Sales contract', '销售合同'),
  pluralLabel: t('Sales contracts', '销售合同'),
  icon: 'contract',
  titleField: 'title',
  fields: [
    k('number', 'autonumber', t('Contract number', '合同编号'), { pattern: 'HT{YYYY}-{0000}' }),
    k('title', 'text', t('Title', '合同名称'), { required: true, maxLength: 120 }),
    k('customer', 'relation', t('Customer', '客户'), {
      required: true,
      target: CUSTOMER,
      fetchFrom: 'opportunity.customer',
      help: t("The opportunity's customer once it is picked", '选择商机后自动带出其客户'),
      inverse: { name: 'contracts', label: t('Contracts', '合同') },
    }),
    k('opportunity', 'relation', t('Opportunity', '商机'), {
      target: OPPORTUNITY,
      onDelete: 'setNull',
      inverse: { name: 'contracts', label: t('Contracts', '合同') },
    }),
    k('quote', 'relation', t('Quote', '报价单'), { target: QUOTE, onDelete: 'setNull' }),
    k('customer_signer', 'relation', t('Signed by (customer)', '客户签约人'), {
      target: CONTACT,
      onDelete: 'setNull',
    }),
    k('signed_on', 'date', t('Signed on', '签约日期')),
    k('starts_on', 'date', t('Starts', '开始日期')),
    k('ends_on', 'date', t('Ends', '结束日期')),
    k('amount', 'money', t('Contract amount', '合同金额'), { ...money(), required: true }),
    k('status', 'select', t('Status', '合同状态'), {
      required: true,
      indexed: true,
      defaultValue: '"draft"',
      options: options([
        ['draft', 'Draft', '草稿'],
        ['pending', 'Awaiting approval', '审批中', '#fa8c16'],
        ['active', 'In force', '执行中', '#1677ff'],
        ['completed', 'Completed', '已完成', '#52c41a'],
        ['terminated', 'Terminated', '已终止', '#ff4d4f'],
      ]),
    }),
    k('payment_plan', 'subtable', t('Payment plan', '回款计划'), {
      maxRows: 24,
      fields: [
        pp('instalment', 'select', t('Instalment', '款项'), {
          required: true,
          options: options([
            ['advance', 'Advance payment', '预付款'],
            ['delivery', 'On delivery', '到货款'],
            ['acceptance', 'On acceptance', '验收款'],
            ['retention', 'Retention', '质保金'],
            ['period', 'Periodic payment', '分期款'],
          ]),
        }),
        pp('due_on', 'date', t('Due', '计划回款日期'), { required: true }),
        pp('share', 'percent', t('Share', '比例'), { min: 0, max: 100, scale: 0 }),
        pp('amount', 'money', t('Amount', '计划金额'), { ...money(), required: true }),
        pp('note', 'text', t('Note', '说明'), { maxLength: 200 }),
      ],
      rules: [
        rule('ctrpp_amount', 'amount > 0', ['amount'], 'An instalment is above 0', '计划金额必须大于 0'),
      ],
    }),
    k('planned_total', 'formula', t('Planned', '计划回款合计'), {
      expression: 'sum(for p in payment_plan return p.amount)',
      resultType: 'decimal',
      scale: 2,
    }),
    k('receivable_total', 'rollup', t('Receivable', '应收合计'), {
      over: 'receivables',
      aggregate: 'sum',
      field: 'amount',
      currency: 'CNY',
    }),
    k('received_total', 'rollup', t('Received', '已回款'), {
      over: 'receivables',
      aggregate: 'sum',
      field: 'received',
      currency: 'CNY',
    }),
    k('outstanding', 'formula', t('Outstanding', '未回款'), {
      expression: 'amount - received_total',
      resultType: 'decimal',
      scale: 2,
    }),
    k('terms', 'longText', t('Main terms', '主要条款'), { maxLength: 8000 }),
  ],
  rules: [
    rule(
      'ctr_plan_matches',
      'count(payment_plan) = 0 or sum(for p in payment_plan return p.amount) = amount',
      ['payment_plan'],
      'The payment plan adds up to the contract amount',
      '回款计划合计必须等于合同金额',
    ),
    rule(
      'ctr_dates',
      'ends_on = null or starts_on = null or ends_on >= starts_on',
      ['ends_on'],
      'A contract ends after it starts',
      '结束日期不能早于开始日期',
    ),
    rule(
      'ctr_signed',
      'signed_on != null',
      ['signed_on'],
      'A contract in force has its signing date',
      '执行中或已完成的合同必须填写签约日期',
      'status in ["active", "completed"]',
    ),
  ],
  sections: [
    {
      id: 'contract',
      label: t('Contract', '合同信息'),
      columns: 2,
      fields: [
        'number',
        'title',
        'customer',
        'opportunity',
        'quote',
        'customer_signer',
        'amount',
        'status',
        'signed_on',
        'starts_on',
        'ends_on',
      ],
    },
    { id: 'plan', label: t('Payment plan', '回款计划'), columns: 1, fields: ['payment_plan'] },
    {
      id: 'money',
      label: t('Receivables', '回款情况'),
      columns: 2,
      fields: ['planned_total', 'receivable_total', 'received_total', 'outstanding'],
    },
    { id: 'terms', label: t('Terms', '条款'), columns: 1, fields: ['terms'] },
  ],
});

const r = fieldsOf('rcv');

export const receivable = module({
  id: RECEIVABLE,
  name: 'receivable',
  label: t('Receivable', '应收款'),
  pluralLabel: t('Receivables', '应收账款'),
  description: t(
    'One per contract instalment: due, received, outstanding',
    '每个合同回款期一条：应收、已收、未收',
  ),
  icon: 'wallet',
  titleField: 'number',
  fields: [
    r('number', 'autonumber', t('Number', '应收单号'), { pattern: 'YS{YYYY}{MM}-{0000}' }),
    r('contract', 'relation', t('Contract', '合同'), {
      required: true,
      target: CONTRACT,
      inverse: { name: 'receivables', label: t('Receivables', '应收款') },
    }),
    r('instalment', 'text', t('Instalment', '款项'), { maxLength: 60 }),
    r('due_on', 'date', t('Due', '应收日期'), { required: true, indexed: true }),
    r('amount', 'money', t('Receivable', '应收金额'), { ...money(), required: true }),
    r('received', 'money', t('Received', '已收金额'), { ...money(), defaultValue: '0' }),
    r('received_on', 'date', t('Last received on', '最近收款日期')),
    r('outstanding', 'formula', t('Outstanding', '未收金额'), {
      expression: 'amount - (if received = null then 0 else received)',
      resultType: 'decimal',
      scale: 2,
    }),
    r('overdue_days', 'formula', t('Days overdue', '逾期天数'), {
      help: t('As of the last save', '按最后保存时计算'),
      expression: 'if outstanding > 0 and due_on < today() then (today() - due_on).days else 0',
      resultType: 'integer',
    }),
    r('invoice_number', 'text', t('Invoice number', '发票号码'), { maxLength: 30 }),
  ],
  rules: [
    rule(
      'rcv_not_over',
      'received = null or received <= amount',
      ['received'],
      'Received cannot be more than the receivable',
      '已收金额不能超过应收金额',
    ),
    rule(
      'rcv_received_date',
      'received = null or received = 0 or received_on != null',
      ['received_on'],
      'Give the date the money came in',
      '请填写收款日期',
    ),
  ],
  sections: [
    {
      id: 'receivable',
      label: t('Receivable', '应收信息'),
      columns: 2,
      fields: ['number', 'contract', 'instalment', 'due_on', 'amount', 'invoice_number'],
    },
    {
      id: 'collection',
      label: t('Collection', '收款情况'),
      columns: 2,
      fields: ['received', 'received_on', 'outstanding', 'overdue_days'],
    },
  ],
});

export const opportunityModules: ModuleDefinition[] = [
  valuedCustomer,
  opportunity,
  quote,
  contract,
  receivable,
];
