// The three example packages as files: what build-packages.ts writes into examples/<name>/ and
// what the tests compare the committed files with.
import { canonicalJson, type ModuleDefinition, type PackageFiles, type RoleDefinition } from '@crm/engine';
import { t } from './definitions/build.ts';
import { customerModules } from './definitions/customer.ts';
import { opportunityModules } from './definitions/opportunity.ts';
import { customerRoles, opportunityRoles, stockRoles } from './definitions/roles.ts';
import { stockModules } from './definitions/stock.ts';

export interface ExamplePackage {
  /** Folder under examples/ and the package's name. */
  name: string;
  /** Packages that must be imported before this one (their modules are referred to). */
  requires: string[];
  label: ReturnType<typeof t>;
  description: ReturnType<typeof t>;
  modules: ModuleDefinition[];
  roles: RoleDefinition[];
}

/** In import order: each package needs only those before it. */
export const EXAMPLE_PACKAGES: ExamplePackage[] = [
  {
    name: 'customer',
    requires: [],
    label: t('Customers', '客户管理'),
    description: t(
      'Customers with a customer pool, contacts, visit records, phone-call and visitor logs, complaints',
      '客户（含公海）、联系人、拜访记录、电话接听登记、客户来访登记、客户投诉',
    ),
    modules: customerModules,
    roles: customerRoles,
  },
  {
    name: 'stock',
    requires: [],
    label: t('Products and stock', '商品与库存'),
    description: t(
      'Product categories, products with price levels, warehouses, stock movements and balances',
      '商品分类、多级价格的商品、仓库、出入库单与库存余额',
    ),
    modules: stockModules,
    roles: stockRoles,
  },
  {
    name: 'opportunity',
    requires: ['customer', 'stock'],
    label: t('Opportunities and contracts', '商机与合同'),
    description: t(
      'Opportunities with decision chains, quotes, sales contracts with payment plans, receivables; ' +
        'the customer gains its value class. Import after the customer and stock packages.',
      '商机（含决策链）、报价单、含回款计划的销售合同、应收账款；客户增加价值等级。须在客户与库存应用包之后导入。',
    ),
    modules: opportunityModules,
    roles: opportunityRoles,
  },
];

export function packageFiles(pkg: ExamplePackage): PackageFiles {
  const files: PackageFiles = {
    'crm-package.json': canonicalJson({
      format: 1,
      name: pkg.name,
      version: '1.0.0',
      label: pkg.label,
      description: pkg.description,
    }),
  };
  for (const module of pkg.modules) files[`modules/${module.name}.json`] = canonicalJson(module);
  for (const role of pkg.roles) files[`roles/${role.id}.json`] = canonicalJson(role);
  return files;
}
