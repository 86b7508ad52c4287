// Modules for derived values (rollups, formulas) as the example packages use them: items whose stock
// counts only approved batches' lines, and the formulas and triggers reading it.
const label = (en: string) => ({ en, 'zh-CN': en });
const options = (values: string[]) => values.map((value) => ({ value, label: { en: value } }));

/** Items: `on_hand` sums the lines of approved batches, `lines_seen` counts every line. */
export const item = {
  id: 'mod_dv_item',
  name: 'item',
  label: label('Item'),
  fields: [
    { id: 'i_name', name: 'name', type: 'text', label: label('Name'), required: true },
    { id: 'i_safety', name: 'safety', type: 'integer', label: label('Safety stock') },
    {
      id: 'i_on_hand',
      name: 'on_hand',
      type: 'rollup',
      label: label('On hand'),
      over: 'batch_lines',
      aggregate: 'sum',
      field: 'quantity',
      filter: 'parent.status = "approved"',
      scale: 0,
    },
    {
      id: 'i_lines',
      name: 'lines_seen',
      type: 'rollup',
      label: label('Lines'),
      over: 'batch_lines',
      aggregate: 'count',
    },
    {
      id: 'i_last',
      name: 'last_quantity',
      type: 'rollup',
      label: label('Largest line'),
      over: 'batch_lines',
      aggregate: 'max',
      field: 'quantity',
      scale: 0,
    },
    {
      id: 'i_low',
      name: 'low',
      type: 'formula',
      label: label('Low'),
      expression: 'safety != null and on_hand < safety',
      resultType: 'boolean',
    },
  ],
  rules: [
    {
      id: 'i_rule_safety',
      // a new item has no lines: it sees 0 lines, so it needs no safety stock yet
      expression: 'lines_seen = 0 or safety != null',
      fields: ['safety'],
      message: {
        en: 'An item with stock lines needs a safety stock',
        'zh-CN': '有库存明细的物品需要安全库存',
      },
    },
  ],
};

/** Batches of lines moving items in (positive) or out (negative); only approved ones count. */
export const batch = {
  id: 'mod_dv_batch',
  name: 'batch',
  label: label('Batch'),
  fields: [
    { id: 'b_ref', name: 'ref', type: 'text', label: label('Reference'), required: true },
    {
      id: 'b_status',
      name: 'status',
      type: 'select',
      label: label('Status'),
      options: options(['draft', 'approved']),
      defaultValue: '"draft"',
    },
    {
      id: 'b_lines',
      name: 'lines',
      type: 'subtable',
      label: label('Lines'),
      fields: [
        {
          id: 'bl_item',
          name: 'item',
          type: 'relation',
          label: label('Item'),
          target: 'mod_dv_item',
          inverse: { name: 'batch_lines', label: label('Batch lines') },
        },
        { id: 'bl_qty', name: 'quantity', type: 'integer', label: label('Quantity'), required: true },
      ],
    },
    {
      id: 'b_approved_units',
      name: 'approved_units',
      type: 'rollup',
      label: label('Approved units'),
      over: 'lines',
      aggregate: 'sum',
      field: 'quantity',
      filter: 'parent.status = "approved"',
      scale: 0,
    },
  ],
};

/** Contracts whose payment plan must add up to the amount, to the cent, with no tolerance. */
export const contract = {
  id: 'mod_dv_contract',
  name: 'contract',
  label: label('Contract'),
  fields: [
    {
      id: 'c_amount',
      name: 'amount',
      type: 'money',
      label: label('Amount'),
      currency: 'CNY',
      required: true,
    },
    {
      id: 'c_plan',
      name: 'plan',
      type: 'subtable',
      label: label('Payment plan'),
      fields: [
        {
          id: 'cp_amount',
          name: 'amount',
          type: 'money',
          label: label('Amount'),
          currency: 'CNY',
          required: true,
        },
      ],
    },
    {
      id: 'c_rest',
      name: 'unplanned',
      type: 'formula',
      label: label('Unplanned'),
      expression: 'amount - sum(for p in plan return p.amount)',
      resultType: 'decimal',
      scale: 2,
    },
  ],
  rules: [
    {
      id: 'c_rule_plan',
      expression: 'count(plan) = 0 or sum(for p in plan return p.amount) = amount',
      fields: ['plan'],
      message: { en: 'The payment plan adds up to the amount', 'zh-CN': '回款计划合计必须等于合同金额' },
    },
  ],
};

export const DERIVED_MODULES = [item, batch, contract];
