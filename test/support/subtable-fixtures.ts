// Modules with sub-tables and rollups, shared by the engine tests, the HTTP tests and the benchmark.
const label = (en: string) => ({ en, 'zh-CN': en });
const options = (values: string[]) => values.map((value) => ({ value, label: { en: value } }));

/** Products; `stock` sums the quantities of stock movement lines pointing at them. */
export const product = {
  id: 'mod_st_product',
  name: 'product',
  label: label('Product'),
  fields: [
    { id: 'p_name', name: 'name', type: 'text', label: label('Name'), required: true },
    { id: 'p_price', name: 'price', type: 'money', label: label('Price'), currency: 'CNY' },
    {
      id: 'p_stock',
      name: 'stock',
      type: 'rollup',
      label: label('Stock'),
      over: 'movement_lines',
      aggregate: 'sum',
      field: 'quantity',
      scale: 0,
    },
    {
      id: 'p_receipts',
      name: 'receipts',
      type: 'rollup',
      label: label('Receipts'),
      over: 'movement_lines',
      aggregate: 'count',
      filter: 'quantity > 0',
    },
    {
      id: 'p_low',
      name: 'low_stock',
      type: 'formula',
      label: label('Low stock'),
      expression: 'stock < 10',
      resultType: 'boolean',
    },
  ],
};

/** Stock movements: lines of products and quantities (negative: out). */
export const stockMovement = {
  id: 'mod_st_movement',
  name: 'stock_movement',
  label: label('Stock movement'),
  fields: [
    { id: 'm_ref', name: 'ref', type: 'text', label: label('Reference'), required: true },
    {
      id: 'm_lines',
      name: 'lines',
      type: 'subtable',
      label: label('Lines'),
      fields: [
        {
          id: 'ml_product',
          name: 'product',
          type: 'relation',
          label: label('Product'),
          target: 'mod_st_product',
          required: true,
          inverse: { name: 'movement_lines', label: label('Movement lines') },
        },
        { id: 'ml_qty', name: 'quantity', type: 'integer', label: label('Quantity'), required: true },
      ],
      rules: [
        {
          id: 'ml_nonzero',
          expression: 'quantity != 0',
          message: { en: 'a line moves at least one unit', 'zh-CN': '每行至少移动一个单位' },
          fields: ['quantity'],
        },
      ],
    },
    {
      id: 'm_units',
      name: 'units',
      type: 'rollup',
      label: label('Units'),
      over: 'lines',
      aggregate: 'sum',
      field: 'quantity',
      scale: 0,
    },
  ],
};

/** Quotes with lines: amount per line, a total formula over the lines and a rollup of the same. */
export const quote = {
  id: 'mod_st_quote',
  name: 'quote',
  label: label('Quote'),
  fields: [
    { id: 'q_title', name: 'title', type: 'text', label: label('Title'), required: true },
    { id: 'q_discount', name: 'discount', type: 'decimal', label: label('Discount'), scale: 2 },
    {
      id: 'q_lines',
      name: 'lines',
      type: 'subtable',
      label: label('Lines'),
      maxRows: 50,
      fields: [
        { id: 'ql_item', name: 'item', type: 'text', label: label('Item'), required: true, unique: true },
        { id: 'ql_qty', name: 'quantity', type: 'integer', label: label('Quantity'), required: true, min: 1 },
        { id: 'ql_price', name: 'unit_price', type: 'money', label: label('Unit price'), currency: 'CNY' },
        {
          id: 'ql_product',
          name: 'product',
          type: 'relation',
          label: label('Product'),
          target: 'mod_st_product',
        },
        {
          id: 'ql_amount',
          name: 'amount',
          type: 'formula',
          label: label('Amount'),
          expression: 'quantity * unit_price',
          resultType: 'decimal',
          scale: 2,
        },
        { id: 'ql_tax', name: 'taxable', type: 'boolean', label: label('Taxable'), defaultValue: 'true' },
      ],
      rules: [
        {
          id: 'ql_max',
          expression: 'quantity <= 1000',
          message: { en: 'at most 1000 per line', 'zh-CN': '每行最多 1000' },
          fields: ['quantity'],
        },
      ],
    },
    {
      id: 'q_total',
      name: 'total',
      type: 'formula',
      label: label('Total'),
      expression: 'sum(for l in lines return l.amount) - (if discount = null then 0 else discount)',
      resultType: 'decimal',
      scale: 2,
    },
    {
      id: 'q_rolled',
      name: 'rolled_total',
      type: 'rollup',
      label: label('Rolled-up total'),
      over: 'lines',
      aggregate: 'sum',
      field: 'amount',
    },
    {
      id: 'q_taxed',
      name: 'taxed_lines',
      type: 'rollup',
      label: label('Taxed lines'),
      over: 'lines',
      aggregate: 'count',
      filter: 'taxable',
    },
    {
      id: 'q_with_tax',
      name: 'with_tax',
      type: 'formula',
      label: label('With tax'),
      expression: 'rolled_total * 1.1',
      resultType: 'decimal',
      scale: 2,
    },
  ],
  rules: [
    {
      id: 'q_limit',
      expression: 'count(lines) <= 20',
      message: { en: 'at most 20 lines', 'zh-CN': '最多 20 行' },
      fields: ['lines'],
    },
  ],
};

/** Regions hold accounts; `open_total` rolls up the accounts' own rollup (a cascade). */
export const region = {
  id: 'mod_st_region',
  name: 'region',
  label: label('Region'),
  fields: [
    { id: 'r_name', name: 'name', type: 'text', label: label('Name'), required: true },
    {
      id: 'r_open',
      name: 'open_total',
      type: 'rollup',
      label: label('Open total'),
      over: 'accounts',
      aggregate: 'sum',
      field: 'open_amount',
      currency: 'CNY',
    },
  ],
};

export const account = {
  id: 'mod_st_account',
  name: 'account',
  label: label('Account'),
  fields: [
    { id: 'a_name', name: 'name', type: 'text', label: label('Name'), required: true },
    {
      id: 'a_region',
      name: 'region',
      type: 'relation',
      label: label('Region'),
      target: 'mod_st_region',
      inverse: { name: 'accounts', label: label('Accounts') },
    },
    {
      id: 'a_open',
      name: 'open_amount',
      type: 'rollup',
      label: label('Open amount'),
      over: 'opportunities',
      aggregate: 'sum',
      field: 'amount',
      currency: 'CNY',
      filter: 'stage in ("new", "won") and amount >= 0',
    },
    {
      id: 'a_count',
      name: 'opportunity_count',
      type: 'rollup',
      label: label('Opportunities'),
      over: 'opportunities',
      aggregate: 'count',
    },
    {
      id: 'a_max',
      name: 'biggest',
      type: 'rollup',
      label: label('Biggest'),
      over: 'opportunities',
      aggregate: 'max',
      field: 'amount',
      currency: 'CNY',
    },
    {
      id: 'a_avg',
      name: 'average',
      type: 'rollup',
      label: label('Average'),
      over: 'opportunities',
      aggregate: 'avg',
      field: 'amount',
      currency: 'CNY',
    },
    {
      id: 'a_first',
      name: 'first_close',
      type: 'rollup',
      label: label('First close'),
      over: 'opportunities',
      aggregate: 'min',
      field: 'close_date',
      resultType: 'date',
      filter: 'close_date != null and stage != "lost"',
    },
    {
      id: 'a_share',
      name: 'open_share',
      type: 'formula',
      label: label('Open share'),
      expression: 'if opportunity_count = 0 then null else open_amount / opportunity_count',
      resultType: 'decimal',
      scale: 2,
    },
  ],
};

export const opportunity = {
  id: 'mod_st_opportunity',
  name: 'opportunity',
  label: label('Opportunity'),
  fields: [
    { id: 'o_name', name: 'name', type: 'text', label: label('Name'), required: true },
    {
      id: 'o_account',
      name: 'account',
      type: 'relation',
      label: label('Account'),
      target: 'mod_st_account',
      inverse: { name: 'opportunities', label: label('Opportunities') },
    },
    { id: 'o_amount', name: 'amount', type: 'money', label: label('Amount'), currency: 'CNY' },
    {
      id: 'o_stage',
      name: 'stage',
      type: 'select',
      label: label('Stage'),
      options: options(['new', 'won', 'lost']),
    },
    { id: 'o_close', name: 'close_date', type: 'date', label: label('Close date') },
  ],
};

export const SUBTABLE_MODULES = [product, stockMovement, quote, region, account, opportunity];
