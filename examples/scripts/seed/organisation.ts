// The demo company, 上海启明智能设备有限公司: its departments and people. Each package's seed lists
// the part its roles need; names repeated in a later seed are matched, not made again.
import type { SeedDepartment, SeedUser } from '@crm/cli';
import { t } from '../definitions/build.ts';

export const COMPANY: SeedDepartment = { key: 'd_company', name: t('Qiming Smart Devices', '启明智能') };
const under = (key: string, en: string, zh: string, parent = COMPANY.key): SeedDepartment => ({
  key,
  name: t(en, zh),
  parent: `@${parent}`,
});

export const SALES_DEPARTMENTS: SeedDepartment[] = [
  COMPANY,
  under('d_sales', 'Sales centre', '销售中心'),
  under('d_sales1', 'Sales team 1', '销售一部', 'd_sales'),
  under('d_sales2', 'Sales team 2', '销售二部', 'd_sales'),
];
export const STOCK_DEPARTMENTS: SeedDepartment[] = [
  COMPANY,
  under('d_purchasing', 'Purchasing', '采购部'),
  under('d_warehouse', 'Warehousing', '仓储部'),
];
export const FINANCE_DEPARTMENTS: SeedDepartment[] = [COMPANY, under('d_finance', 'Finance', '财务部')];

const person = (
  key: string,
  username: string,
  displayName: string,
  department: string,
  roles: string[],
  extra: Partial<SeedUser> = {},
): SeedUser => ({
  key,
  username,
  displayName,
  email: `${username}@qiming-demo.cn`,
  department: `@${department}`,
  roles,
  ...extra,
});

export const DIRECTOR = person('u_director', 'zhao.jianguo', '赵建国', 'd_sales', ['sales_director'], {
  head: true,
});
export const MANAGERS = [
  person('u_manager1', 'chen.jing', '陈静', 'd_sales1', ['sales_manager'], {
    head: true,
    manager: '@u_director',
  }),
  person('u_manager2', 'liu.yang', '刘洋', 'd_sales2', ['sales_manager'], {
    head: true,
    manager: '@u_director',
  }),
];
export const REPS = [
  person('u_rep1', 'wang.fang', '王芳', 'd_sales1', ['sales_rep'], { manager: '@u_manager1' }),
  person('u_rep2', 'li.qiang', '李强', 'd_sales1', ['sales_rep'], { manager: '@u_manager1' }),
  person('u_rep3', 'zhang.min', '张敏', 'd_sales1', ['sales_rep'], { manager: '@u_manager1' }),
  person('u_rep4', 'huang.lei', '黄磊', 'd_sales1', ['sales_rep'], { manager: '@u_manager1' }),
  person('u_rep5', 'zhou.ting', '周婷', 'd_sales2', ['sales_rep'], { manager: '@u_manager2' }),
  person('u_rep6', 'wu.hao', '吴浩', 'd_sales2', ['sales_rep'], { manager: '@u_manager2' }),
  person('u_rep7', 'xu.jie', '徐杰', 'd_sales2', ['sales_rep'], { manager: '@u_manager2' }),
  person('u_rep8', 'sun.yue', '孙悦', 'd_sales2', ['sales_rep'], { manager: '@u_manager2' }),
];
export const SALES_PEOPLE = [DIRECTOR, ...MANAGERS, ...REPS];

export const PURCHASERS = [
  person('u_buyer1', 'ma.li', '马丽', 'd_purchasing', ['purchasing'], { head: true }),
  person('u_buyer2', 'guo.peng', '郭鹏', 'd_purchasing', ['purchasing'], { manager: '@u_buyer1' }),
];
export const KEEPERS = [
  person('u_keeper1', 'he.jun', '何军', 'd_warehouse', ['warehouse_keeper'], { head: true }),
  person('u_keeper2', 'lin.xue', '林雪', 'd_warehouse', ['warehouse_keeper'], { manager: '@u_keeper1' }),
  person('u_keeper3', 'luo.bin', '罗斌', 'd_warehouse', ['warehouse_keeper'], { manager: '@u_keeper1' }),
];
export const ACCOUNTANTS = [
  person('u_finance1', 'zheng.hua', '郑华', 'd_finance', ['finance'], { head: true }),
  person('u_finance2', 'liang.yan', '梁艳', 'd_finance', ['finance'], { manager: '@u_finance1' }),
];
