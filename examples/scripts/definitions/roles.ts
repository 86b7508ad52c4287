// The demo company's roles. Each package carries the roles whose modules it has: the customer
// package the sales roles over customers, the stock package purchasing and the warehouse, the
// opportunity package (which needs both) the sales roles again, now over deals too, and finance.
import type { FieldRight, ModuleDefinition, ModuleGrant, RoleDefinition, Scope } from '@crm/engine';
import { t } from './build.ts';
import { COMPLAINT, CONTACT, CUSTOMER, PHONE_CALL, VISIT, VISITOR } from './customer.ts';
import { CONTRACT, OPPORTUNITY, QUOTE, RECEIVABLE, valuedCustomer } from './opportunity.ts';
import { BALANCE, CATEGORY, MOVEMENT, PRODUCT, WAREHOUSE } from './stock.ts';

/** Full rights within `scope` (creating always for oneself). */
const works = (scope: Scope, extra: ModuleGrant = {}): ModuleGrant => ({
  read: scope,
  create: 'own',
  update: scope,
  delete: scope,
  share: scope,
  assign: scope,
  ...extra,
});
const reads = (scope: Scope, extra: ModuleGrant = {}): ModuleGrant => ({ read: scope, ...extra });

const FOLLOW_UPS = [CONTACT, VISIT, PHONE_CALL, VISITOR, COMPLAINT];
const CATALOGUE = [CATEGORY, PRODUCT, WAREHOUSE, BALANCE];

/** Every field of `module` read-only but `writable`. */
function writesOnly(module: ModuleDefinition, writable: string[]): Record<string, FieldRight> {
  return Object.fromEntries(
    module.fields.filter((f) => !writable.includes(f.name)).map((f) => [f.name, 'read' as FieldRight]),
  );
}

function each(ids: string[], grant: ModuleGrant): Record<string, ModuleGrant> {
  return Object.fromEntries(ids.map((id) => [id, grant]));
}

/** Customer-side grants of a sales role whose records reach as far as `scope`. */
function customerGrants(scope: Scope, exports: boolean): Record<string, ModuleGrant> {
  const credit = scope === 'all' ? {} : { fields: { credit_rating: 'read', credit_limit: 'read' } as const };
  return {
    // every salesperson may claim customers from the pool (and so sees the unowned ones)
    [CUSTOMER]: works(scope, {
      delete: scope === 'own' ? null : scope,
      export: exports,
      claim: true,
      ...credit,
    }),
    ...each(FOLLOW_UPS, works(scope, { export: exports })),
  };
}

function dealGrants(scope: Scope, exports: boolean): Record<string, ModuleGrant> {
  // the approval states are moved by the approval flows, not typed in
  const approved = { fields: { approval: 'read' } } as const;
  return {
    [OPPORTUNITY]: works(scope, { export: exports }),
    [QUOTE]: works(scope, { export: exports, ...approved }),
    [CONTRACT]: works(scope, { export: exports, delete: null, fields: { status: 'read' } }),
    [RECEIVABLE]: reads(scope, { export: exports }),
    ...each([CATEGORY, WAREHOUSE, BALANCE], reads('all')),
    // a salesperson asks for a sales issue (出库申请); a warehouse keeper approves it
    [MOVEMENT]: reads(scope, { create: 'own', fields: { status: 'read' } }),
    [PRODUCT]: reads('all', { fields: { cost: 'none', margin: 'none', stock_value: 'none' } }),
  };
}

const SALES_ROLES = [
  {
    id: 'sales_rep',
    label: t('Sales rep', '销售代表'),
    description: t(
      'Works their own customers, follow-ups and deals; sees prices but not costs',
      '跟进自己的客户、联系记录和商机；可看售价，看不到成本',
    ),
    scope: 'own' as Scope,
    exports: false,
  },
  {
    id: 'sales_manager',
    label: t('Sales manager', '销售经理'),
    description: t(
      'Everything of the sales reps in their department and below; approves discounts',
      '管理本部门及下级部门销售的全部客户和商机；审批折扣',
    ),
    scope: 'department_tree' as Scope,
    exports: true,
  },
  {
    id: 'sales_director',
    label: t('Sales director', '销售总监'),
    description: t(
      'All customers and deals of the company; countersigns large discounts and approves contracts',
      '全公司的客户和商机；会签大额折扣、审批合同',
    ),
    scope: 'all' as Scope,
    exports: true,
  },
];

/** The sales roles of the customer package: customers and their follow-ups only. */
export const customerRoles: RoleDefinition[] = SALES_ROLES.map(
  ({ id, label, description, scope, exports }) => ({
    id,
    label,
    description,
    modules: customerGrants(scope, exports),
  }),
);

export const stockRoles: RoleDefinition[] = [
  {
    id: 'purchasing',
    label: t('Purchasing', '采购'),
    description: t(
      'Keeps the product catalogue and prices, receives purchases; told when stock runs low',
      '维护商品目录和价格，办理采购入库；库存不足时收到通知',
    ),
    modules: {
      ...each([CATEGORY, PRODUCT], works('all', { export: true })),
      [WAREHOUSE]: reads('all'),
      [BALANCE]: reads('all', { create: 'own', export: true }),
      [MOVEMENT]: reads('all', { create: 'own', update: 'own', delete: 'own', export: true }),
    },
  },
  {
    id: 'warehouse_keeper',
    label: t('Warehouse keeper', '仓管员'),
    description: t(
      'Books every stock movement, counts the stock, keeps warehouses and storage locations',
      '办理出入库、盘点库存，维护仓库与库位',
    ),
    modules: {
      [CATEGORY]: reads('all'),
      [PRODUCT]: reads('all'),
      [WAREHOUSE]: works('all'),
      [BALANCE]: works('all', { export: true }),
      [MOVEMENT]: works('all', { export: true, fields: { status: 'read' } }),
    },
  },
];

/** The sales roles again with deals and the catalogue, and finance. */
export const opportunityRoles: RoleDefinition[] = [
  ...SALES_ROLES.map(({ id, label, description, scope, exports }) => ({
    id,
    label,
    description,
    modules: { ...customerGrants(scope, exports), ...dealGrants(scope, exports) },
  })),
  {
    id: 'finance',
    label: t('Finance', '财务'),
    description: t(
      'Rates customer credit, follows contracts and collects receivables',
      '评定客户信用，跟踪合同执行，催收应收账款',
    ),
    modules: {
      [CUSTOMER]: reads('all', {
        update: 'all',
        export: true,
        fields: writesOnly(valuedCustomer, ['credit_rating', 'credit_limit']),
      }),
      [CONTRACT]: reads('all', { update: 'all', export: true }),
      [RECEIVABLE]: works('all', { export: true }),
      [OPPORTUNITY]: reads('all'),
      [QUOTE]: reads('all', { fields: { approval: 'read' } }),
      ...each(CATALOGUE, reads('all')),
    },
  },
];
