// The stock package: a product category tree, products with price levels and safety stock,
// warehouses, stock movements with lines, and a balance per product and warehouse kept by rollups.
import type { ModuleDefinition } from '@crm/engine';
import { fieldsOf, module, money, options, rule, t } from './build.ts';
import { PROVINCES } from './vocabulary.ts';

export const CATEGORY = 'mod_product_category';
export const PRODUCT = 'mod_product';
export const WAREHOUSE = 'mod_warehouse';
export const BALANCE = 'mod_stock_balance';
export const MOVEMENT = 'mod_stock_movement';

const cat = fieldsOf('pcat');

export const productCategory = module({
  id: CATEGORY,
  name: 'product_category',
  label: t('Product category', '商品分类'),
  pluralLabel: t('Product categories', '商品分类'),
  icon: 'folder',
  titleField: 'name',
  fields: [
    cat('name', 'text', t('Category', '分类名称'), { required: true, maxLength: 60 }),
    cat('code', 'text', t('Code', '分类编码'), {
      required: true,
      unique: true,
      maxLength: 20,
      pattern: '^[A-Z0-9]+$',
      help: t('Capital letters and digits, e.g. OF01', '大写字母和数字，如 OF01'),
    }),
    cat('parent', 'relation', t('Parent category', '上级分类'), {
      target: CATEGORY,
      inverse: { name: 'children', label: t('Subcategories', '下级分类') },
    }),
    cat('sort', 'integer', t('Sort order', '排序'), { min: 0, defaultValue: '0' }),
    cat('product_count', 'rollup', t('Products', '商品数'), { over: 'products', aggregate: 'count' }),
  ],
  rules: [
    rule(
      'pcat_not_own_parent',
      'parent = null or parent != id',
      ['parent'],
      'A category cannot be its own parent',
      '分类不能是自己的上级分类',
    ),
  ],
  sections: [
    {
      id: 'category',
      label: t('Category', '分类信息'),
      columns: 2,
      fields: ['name', 'code', 'parent', 'sort', 'product_count'],
    },
  ],
});

const p = fieldsOf('prod');

export const product = module({
  id: PRODUCT,
  name: 'product',
  label: t('Product', '商品'),
  pluralLabel: t('Products', '商品'),
  icon: 'box',
  titleField: 'name',
  fields: [
    p('name', 'text', t('Product name', '商品名称'), { required: true, maxLength: 120 }),
    p('sku', 'text', t('SKU', '商品编码'), {
      required: true,
      unique: true,
      maxLength: 30,
      pattern: '^[A-Z0-9][A-Z0-9-]*$',
      help: t('Capital letters, digits and dashes', '大写字母、数字和短横线'),
    }),
    p('category', 'relation', t('Category', '商品分类'), {
      required: true,
      target: CATEGORY,
      inverse: { name: 'products', label: t('Products', '商品') },
    }),
    p('brand', 'text', t('Brand', '品牌'), { maxLength: 60 }),
    p('specification', 'text', t('Specification', '规格型号'), { maxLength: 120 }),
    p('unit', 'select', t('Unit', '单位'), {
      required: true,
      defaultValue: '"pcs"',
      options: options([
        ['pcs', 'Piece', '个'],
        ['set', 'Set', '套'],
        ['unit', 'Unit', '台'],
        ['box', 'Box', '箱'],
        ['pack', 'Pack', '包'],
        ['roll', 'Roll', '卷'],
        ['bottle', 'Bottle', '瓶'],
        ['kg', 'Kilogram', '千克'],
        ['m', 'Metre', '米'],
        ['license', 'Licence', '授权'],
      ]),
    }),
    p('status', 'select', t('Status', '状态'), {
      required: true,
      defaultValue: '"on_sale"',
      options: options([
        ['on_sale', 'On sale', '在售', '#52c41a'],
        ['discontinued', 'Discontinued', '停售', '#d9d9d9'],
      ]),
    }),
    p('cost', 'money', t('Unit cost', '成本价'), money()),
    p('list_price', 'money', t('List price', '标准售价'), money({ help: t('Tax included', '含税') })),
    p('wholesale_price', 'money', t('Wholesale price', '批发价'), money()),
    p('distributor_price', 'money', t('Distributor price', '代理商价'), money()),
    p('floor_price', 'money', t('Lowest price', '最低限价'), {
      ...money(),
      help: t('Quotes below it need the sales director', '低于此价格的报价需销售总监审批'),
    }),
    p('margin', 'formula', t('Margin at list price', '标准毛利率'), {
      expression:
        'if list_price = null or list_price = 0 or cost = null then null else (list_price - cost) / list_price * 100',
      resultType: 'decimal',
      scale: 1,
    }),
    p('safety_stock', 'integer', t('Safety stock', '安全库存'), {
      min: 0,
      help: t('Purchasing is told when the stock falls below it', '库存低于此数量时通知采购'),
    }),
    p('stock', 'rollup', t('Stock on hand', '当前库存'), {
      over: 'balances',
      aggregate: 'sum',
      field: 'on_hand',
      scale: 0,
      help: t('All warehouses together', '所有仓库合计'),
    }),
    p('low_stock', 'formula', t('Below safety stock', '低于安全库存'), {
      expression: 'safety_stock != null and stock < safety_stock',
      resultType: 'boolean',
    }),
    p('stock_value', 'formula', t('Stock value at cost', '库存金额（成本）'), {
      expression: 'if cost = null then null else stock * cost',
      resultType: 'decimal',
      scale: 2,
    }),
    p('description', 'longText', t('Description', '商品描述'), { maxLength: 4000 }),
  ],
  rules: [
    rule(
      'prod_price_order',
      'list_price = null or floor_price = null or floor_price <= list_price',
      ['floor_price'],
      'The lowest price cannot be above the list price',
      '最低限价不能高于标准售价',
    ),
    rule(
      'prod_distributor_price',
      'distributor_price = null or wholesale_price = null or distributor_price <= wholesale_price',
      ['distributor_price'],
      'The distributor price cannot be above the wholesale price',
      '代理商价不能高于批发价',
    ),
  ],
  sections: [
    {
      id: 'product',
      label: t('Product', '商品信息'),
      columns: 2,
      fields: ['name', 'sku', 'category', 'brand', 'specification', 'unit', 'status'],
    },
    {
      id: 'prices',
      label: t('Prices', '价格策略'),
      columns: 2,
      fields: ['cost', 'list_price', 'wholesale_price', 'distributor_price', 'floor_price', 'margin'],
    },
    {
      id: 'stock',
      label: t('Stock', '库存'),
      columns: 2,
      fields: ['safety_stock', 'stock', 'low_stock', 'stock_value'],
    },
    { id: 'description', label: t('Description', '描述'), columns: 1, fields: ['description'] },
  ],
});

const w = fieldsOf('wh');

export const warehouse = module({
  id: WAREHOUSE,
  name: 'warehouse',
  label: t('Warehouse', '仓库'),
  pluralLabel: t('Warehouses', '仓库'),
  icon: 'warehouse',
  titleField: 'name',
  fields: [
    w('name', 'text', t('Warehouse', '仓库名称'), { required: true, unique: true, maxLength: 60 }),
    w('code', 'text', t('Code', '仓库编码'), {
      required: true,
      unique: true,
      maxLength: 10,
      pattern: '^[A-Z0-9]+$',
    }),
    w('province', 'select', t('Province', '省份'), { options: options(PROVINCES) }),
    w('city', 'text', t('City', '城市'), { maxLength: 30 }),
    w('address', 'text', t('Address', '地址'), { maxLength: 200 }),
    w('keeper', 'user', t('Warehouse keeper', '仓管员')),
    w('active', 'boolean', t('In use', '启用'), { defaultValue: 'true' }),
    w('units', 'rollup', t('Units in stock', '库存总数'), {
      over: 'balances',
      aggregate: 'sum',
      field: 'on_hand',
      scale: 0,
    }),
  ],
  sections: [
    {
      id: 'warehouse',
      label: t('Warehouse', '仓库信息'),
      columns: 2,
      fields: ['name', 'code', 'province', 'city', 'address', 'keeper', 'active', 'units'],
    },
  ],
});

const b = fieldsOf('bal');

export const stockBalance = module({
  id: BALANCE,
  name: 'stock_balance',
  label: t('Stock balance', '库存余额'),
  pluralLabel: t('Stock balances', '库存余额'),
  description: t(
    'One per product and warehouse: what came in and went out there, and what is left',
    '每个商品在每个仓库一条：入库、出库与结存',
  ),
  icon: 'stack',
  titleField: 'title',
  fields: [
    b('title', 'text', t('Product in warehouse', '商品@仓库'), {
      required: true,
      unique: true,
      maxLength: 200,
      help: t('e.g. "OC-2001 @ SH"', '如 “OC-2001 @ SH”'),
    }),
    b('product', 'relation', t('Product', '商品'), {
      required: true,
      target: PRODUCT,
      inverse: { name: 'balances', label: t('Stock by warehouse', '分仓库存') },
    }),
    b('warehouse', 'relation', t('Warehouse', '仓库'), {
      required: true,
      target: WAREHOUSE,
      inverse: { name: 'balances', label: t('Stock balances', '库存余额') },
    }),
    b('location', 'text', t('Storage location', '库位'), { maxLength: 30 }),
    b('received', 'rollup', t('Received', '累计入库'), {
      over: 'movement_lines',
      aggregate: 'sum',
      field: 'quantity',
      // lines of movements awaiting approval (or rejected) hold no stock
      filter: 'direction = "in" and parent.status = "approved"',
      scale: 0,
    }),
    b('issued', 'rollup', t('Issued', '累计出库'), {
      over: 'movement_lines',
      aggregate: 'sum',
      field: 'quantity',
      filter: 'direction = "out" and parent.status = "approved"',
      scale: 0,
    }),
    b('on_hand', 'formula', t('On hand', '结存数量'), {
      expression: 'received - issued',
      resultType: 'integer',
    }),
  ],
  sections: [
    {
      id: 'balance',
      label: t('Balance', '库存'),
      columns: 2,
      fields: ['title', 'product', 'warehouse', 'location', 'received', 'issued', 'on_hand'],
    },
  ],
});

const m = fieldsOf('mov');
const ml = fieldsOf('movl');

/** Directions a movement type's lines may have: all in, all out, or both (a transfer, a count). */
const INBOUND = '["purchase_in", "return_in"]';

export const stockMovement = module({
  id: MOVEMENT,
  name: 'stock_movement',
  label: t('Stock movement', '出入库单'),
  pluralLabel: t('Stock movements', '出入库单'),
  icon: 'truck',
  titleField: 'number',
  fields: [
    m('number', 'autonumber', t('Number', '单据编号'), { pattern: 'CRK{YYYY}{MM}-{0000}' }),
    m('movement_type', 'select', t('Type', '业务类型'), {
      required: true,
      indexed: true,
      options: options([
        ['purchase_in', 'Purchase receipt', '采购入库', '#52c41a'],
        ['sales_out', 'Sales issue', '销售出库', '#1677ff'],
        ['return_in', 'Customer return', '退货入库', '#13c2c2'],
        ['transfer', 'Transfer between warehouses', '仓库调拨', '#722ed1'],
        ['count_adjust', 'Stock count adjustment', '盘点调整', '#fa8c16'],
      ]),
    }),
    m('movement_date', 'date', t('Date', '业务日期'), { required: true, indexed: true }),
    m('warehouse', 'relation', t('Warehouse', '仓库'), {
      required: true,
      target: WAREHOUSE,
      inverse: { name: 'movements', label: t('Stock movements', '出入库单') },
      help: t('For a transfer: the warehouse it leaves', '调拨时为调出仓库'),
    }),
    m('to_warehouse', 'relation', t('To warehouse', '调入仓库'), {
      target: WAREHOUSE,
      inverse: { name: 'transfers_in', label: t('Transfers in', '调入单') },
    }),
    m('partner', 'text', t('Supplier or customer', '往来单位'), { maxLength: 120 }),
    m('reference', 'text', t('Source document', '来源单据'), {
      maxLength: 60,
      help: t('Purchase order, contract or count sheet number', '采购订单、合同或盘点单号'),
    }),
    m('handled_by', 'user', t('Handled by', '经办人')),
    m('status', 'select', t('Approval', '审批状态'), {
      required: true,
      defaultValue: '"approved"',
      options: options([
        ['pending', 'Awaiting approval', '待审批', '#fa8c16'],
        ['approved', 'Approved', '已审核', '#52c41a'],
        ['rejected', 'Rejected', '已驳回', '#ff4d4f'],
      ]),
    }),
    m('lines', 'subtable', t('Lines', '明细'), {
      minRows: 1,
      maxRows: 200,
      fields: [
        ml('balance', 'relation', t('Product @ warehouse', '商品@仓库'), {
          required: true,
          target: BALANCE,
          inverse: { name: 'movement_lines', label: t('Movement lines', '出入库明细') },
        }),
        ml('direction', 'select', t('In or out', '出入方向'), {
          required: true,
          options: options([
            ['in', 'In', '入库', '#52c41a'],
            ['out', 'Out', '出库', '#ff4d4f'],
          ]),
        }),
        ml('quantity', 'integer', t('Quantity', '数量'), { required: true, min: 1 }),
        ml('unit_cost', 'money', t('Unit cost', '单位成本'), money()),
        ml('amount', 'formula', t('Amount', '金额'), {
          expression: 'if unit_cost = null then null else quantity * unit_cost',
          resultType: 'decimal',
          scale: 2,
        }),
        ml('note', 'text', t('Note', '备注'), { maxLength: 200 }),
      ],
      rules: [
        rule('movl_quantity', 'quantity > 0', ['quantity'], 'The quantity must be above 0', '数量必须大于 0'),
      ],
    }),
    m('total_quantity', 'formula', t('Total quantity', '总数量'), {
      expression: 'sum(for l in lines return l.quantity)',
      resultType: 'integer',
    }),
    m('total_amount', 'formula', t('Total amount', '总金额'), {
      expression: 'sum(for l in lines return if l.amount = null then 0 else l.amount)',
      resultType: 'decimal',
      scale: 2,
    }),
    m('notes', 'longText', t('Notes', '备注'), { maxLength: 2000 }),
  ],
  rules: [
    rule(
      'mov_inbound',
      'every l in lines satisfies l.direction = "in"',
      ['lines'],
      'Every line of a receipt goes in',
      '入库单的明细必须全部为入库',
      `movement_type in ${INBOUND}`,
    ),
    rule(
      'mov_outbound',
      'every l in lines satisfies l.direction = "out"',
      ['lines'],
      'Every line of a sales issue goes out',
      '销售出库单的明细必须全部为出库',
      'movement_type = "sales_out"',
    ),
    rule(
      'mov_transfer_target',
      'to_warehouse != null and to_warehouse != warehouse',
      ['to_warehouse'],
      'A transfer goes to another warehouse',
      '调拨必须选择另一个调入仓库',
      'movement_type = "transfer"',
    ),
    rule(
      'mov_transfer_balanced',
      'sum(for l in lines return if l.direction = "in" then l.quantity else -l.quantity) = 0',
      ['lines'],
      'A transfer takes in as many units as it takes out',
      '调拨的调入数量必须等于调出数量',
      'movement_type = "transfer"',
    ),
    rule(
      'mov_only_transfer_target',
      'to_warehouse = null',
      ['to_warehouse'],
      'Only a transfer has a warehouse it goes to',
      '只有调拨单需要调入仓库',
      'movement_type != "transfer"',
    ),
  ],
  sections: [
    {
      id: 'movement',
      label: t('Movement', '单据信息'),
      columns: 2,
      fields: [
        'number',
        'movement_type',
        'movement_date',
        'warehouse',
        'to_warehouse',
        'partner',
        'reference',
        'handled_by',
        'status',
      ],
    },
    { id: 'lines', label: t('Lines', '明细'), columns: 1, fields: ['lines'] },
    {
      id: 'totals',
      label: t('Totals', '合计'),
      columns: 2,
      fields: ['total_quantity', 'total_amount', 'notes'],
    },
  ],
});

export const stockModules: ModuleDefinition[] = [
  productCategory,
  product,
  warehouse,
  stockBalance,
  stockMovement,
];
