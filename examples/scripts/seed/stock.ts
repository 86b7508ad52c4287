// Sample products in a category tree, three warehouses, a balance per product and warehouse, and
// five months of stock movements that never take more out of a warehouse than it holds.
import type { SeedFile, SeedRecord } from '@crm/cli';
import { clean } from './customers.ts';
import { KEEPERS, PURCHASERS, STOCK_DEPARTMENTS } from './organisation.ts';
import { cny, day, type Random } from './random.ts';

interface Category {
  key: string;
  code: string;
  name: string;
  parent?: string;
}

const CATEGORIES: Category[] = [
  { key: 'cat_office', code: 'OF', name: '办公设备' },
  { key: 'cat_print', code: 'OF01', name: '打印复印', parent: 'cat_office' },
  { key: 'cat_meeting', code: 'OF02', name: '会议显示', parent: 'cat_office' },
  { key: 'cat_security', code: 'SE', name: '安防监控' },
  { key: 'cat_camera', code: 'SE01', name: '网络摄像机', parent: 'cat_security' },
  { key: 'cat_recorder', code: 'SE02', name: '存储与录像', parent: 'cat_security' },
  { key: 'cat_network', code: 'NW', name: '网络设备' },
  { key: 'cat_switch', code: 'NW01', name: '交换机', parent: 'cat_network' },
  { key: 'cat_wireless', code: 'NW02', name: '无线与路由', parent: 'cat_network' },
  { key: 'cat_supplies', code: 'SU', name: '耗材配件' },
  { key: 'cat_toner', code: 'SU01', name: '硒鼓墨盒', parent: 'cat_supplies' },
  { key: 'cat_parts', code: 'SU02', name: '线材配件', parent: 'cat_supplies' },
];

/** [category, sku, name, brand, specification, unit, cost, list price, weekly demand] */
type ProductRow = [string, string, string, string, string, string, number, number, number];

const PRODUCTS: ProductRow[] = [
  ['cat_print', 'PR-3010', '黑白激光打印机', '启明', 'A4 30页/分钟 双面 网络', 'unit', 1150, 1699, 6],
  ['cat_print', 'PR-4520', '彩色激光打印机', '启明', 'A4 25页/分钟 彩色 网络', 'unit', 2380, 3299, 3],
  ['cat_print', 'MF-5030', '黑白数码复合机', '启明', 'A3 30页/分钟 复印/打印/扫描', 'unit', 8600, 12800, 2],
  ['cat_print', 'MF-6045', '彩色数码复合机', '启明', 'A3 45页/分钟 彩色', 'unit', 19800, 27800, 1],
  ['cat_print', 'SC-2000', '高速文档扫描仪', '启明', '双面 60页/分钟', 'unit', 2900, 4299, 2],
  ['cat_meeting', 'MP-65A', '智能会议平板 65寸', '启明', '4K 触控 内置摄像头', 'unit', 9800, 14999, 2],
  ['cat_meeting', 'MP-86A', '智能会议平板 86寸', '启明', '4K 触控 双系统', 'unit', 16800, 24999, 1],
  ['cat_meeting', 'PJ-5200', '商务投影仪', '启明', '5200流明 WUXGA', 'unit', 4200, 6299, 2],
  ['cat_meeting', 'WC-100', '无线投屏器', '启明', '4K 即插即用', 'set', 480, 899, 5],
  ['cat_meeting', 'CM-360', '全向会议摄像头', '启明', '360° 拾音 8米', 'unit', 1900, 2999, 3],
  ['cat_camera', 'IPC-B4', '4MP 筒型网络摄像机', '安视', '红外 50米 POE', 'unit', 260, 429, 30],
  ['cat_camera', 'IPC-D4', '4MP 半球网络摄像机', '安视', '红外 30米 POE', 'unit', 230, 389, 30],
  ['cat_camera', 'IPC-P8', '8MP 智能球机', '安视', '25倍变焦 人形检测', 'unit', 2100, 3399, 3],
  ['cat_camera', 'IPC-F4', '4MP 全彩摄像机', '安视', '暖光全彩 POE', 'unit', 320, 529, 12],
  ['cat_recorder', 'NVR-16', '16路网络硬盘录像机', '安视', '4盘位 H.265', 'unit', 980, 1599, 5],
  ['cat_recorder', 'NVR-32', '32路网络硬盘录像机', '安视', '8盘位 RAID', 'unit', 2600, 3999, 2],
  ['cat_recorder', 'HD-8T', '监控专用硬盘 8TB', '安视', '7200转 256MB缓存', 'pcs', 980, 1399, 10],
  ['cat_recorder', 'HD-4T', '监控专用硬盘 4TB', '安视', '5400转', 'pcs', 520, 769, 14],
  ['cat_switch', 'SW-24G', '24口千兆交换机', '联讯', '24电口+4光口 二层网管', 'unit', 1150, 1799, 6],
  ['cat_switch', 'SW-48G', '48口千兆交换机', '联讯', '48电口+4万兆光口 三层', 'unit', 4800, 7299, 2],
  ['cat_switch', 'SW-8P', '8口POE交换机', '联讯', '8口POE 120W', 'unit', 330, 529, 14],
  ['cat_switch', 'SW-16P', '16口POE交换机', '联讯', '16口POE 250W', 'unit', 760, 1199, 7],
  ['cat_wireless', 'AP-W6', '吸顶无线AP', '联讯', 'WiFi6 AX3000 POE供电', 'unit', 420, 699, 12],
  ['cat_wireless', 'AC-200', '无线控制器', '联讯', '管理200个AP', 'unit', 2800, 4299, 1],
  ['cat_wireless', 'RT-G5', '企业级路由器', '联讯', '双WAN 千兆 VPN', 'unit', 880, 1399, 4],
  ['cat_toner', 'TN-3010', '黑色硒鼓（PR-3010用）', '启明', '约3000页', 'pcs', 150, 289, 40],
  ['cat_toner', 'TN-4520C', '彩色硒鼓四色套装', '启明', '青/品/黄/黑', 'set', 820, 1299, 8],
  ['cat_toner', 'TN-5030', '复合机碳粉', '启明', '约25000页', 'pcs', 260, 459, 15],
  ['cat_toner', 'PP-A4', 'A4 复印纸', '启明', '70g 500张/包 8包/箱', 'box', 105, 159, 60],
  ['cat_parts', 'CB-6A', '六类网线', '联讯', '305米/箱 纯铜', 'box', 420, 659, 15],
  ['cat_parts', 'CB-HD5', 'HDMI 高清线 5米', '联讯', '2.0版 4K', 'pcs', 28, 59, 25],
  ['cat_parts', 'PW-48', 'POE 电源适配器', '安视', '48V 0.5A', 'pcs', 18, 39, 30],
  ['cat_parts', 'RK-12U', '12U 网络机柜', '联讯', '600×600 含风扇', 'unit', 520, 899, 3],
];

interface Warehouse {
  key: string;
  code: string;
  name: string;
  province: string;
  city: string;
  address: string;
  keeper: string;
  /** Share of the sales issued from here. */
  share: number;
}

const WAREHOUSES: Warehouse[] = [
  {
    key: 'w_sh',
    code: 'SH',
    name: '上海总仓',
    province: 'shanghai',
    city: '上海',
    address: '上海市嘉定区兴业路88号',
    keeper: 'u_keeper1',
    share: 5,
  },
  {
    key: 'w_bj',
    code: 'BJ',
    name: '北京仓',
    province: 'beijing',
    city: '北京',
    address: '北京市大兴区金桥路16号',
    keeper: 'u_keeper2',
    share: 3,
  },
  {
    key: 'w_gz',
    code: 'GZ',
    name: '广州仓',
    province: 'guangdong',
    city: '广州',
    address: '广州市黄埔区科技大道210号',
    keeper: 'u_keeper3',
    share: 2,
  },
];

export interface SampleProduct {
  sku: string;
  listPrice: number;
}

export interface StockSeed {
  file: SeedFile;
  products: SampleProduct[];
  /** The stock each product ends with, by SKU, and by SKU and warehouse code. */
  stock: Map<string, number>;
  balances: Map<string, number>;
}

/** Days of history the movements cover. */
const HISTORY = 150;

export function stockSeed(random: Random, partners: string[]): StockSeed {
  const records: SeedRecord[] = [];
  for (const category of CATEGORIES) {
    records.push({
      module: 'product_category',
      key: category.key,
      values: clean({
        name: category.name,
        code: category.code,
        parent: category.parent && `@${category.parent}`,
      }),
    });
  }
  for (const warehouse of WAREHOUSES) {
    records.push({
      module: 'warehouse',
      key: warehouse.key,
      values: {
        owner: `@${warehouse.keeper}`,
        name: warehouse.name,
        code: warehouse.code,
        province: warehouse.province,
        city: warehouse.city,
        address: warehouse.address,
        keeper: `@${warehouse.keeper}`,
      },
    });
  }

  const onHand = new Map<string, number>();
  const key = (sku: string, code: string) => `${sku} @ ${code}`;
  for (const product of PRODUCTS) for (const w of WAREHOUSES) onHand.set(key(product[1], w.code), 0);

  // the movements first (on paper), so the products' safety stock can be set against what is left
  const movements: SeedRecord[] = [];
  const move = (
    type: string,
    ago: number,
    warehouse: Warehouse,
    lines: { sku: string; code: string; direction: 'in' | 'out'; quantity: number }[],
    extra: Record<string, unknown> = {},
  ) => {
    if (lines.length === 0) return;
    for (const line of lines) {
      const k = key(line.sku, line.code);
      onHand.set(k, (onHand.get(k) ?? 0) + (line.direction === 'in' ? line.quantity : -line.quantity));
    }
    const handler = type === 'purchase_in' ? random.pick(PURCHASERS).key : warehouse.keeper;
    movements.push({
      module: 'stock_movement',
      values: {
        owner: `@${handler}`,
        movement_type: type,
        movement_date: day(-ago),
        warehouse: `@${warehouse.key}`,
        handled_by: `@${handler}`,
        lines: lines.map((line) => {
          const cost = productBySku(line.sku)[6];
          return {
            balance: `@${balanceKey(line.sku, line.code)}`,
            direction: line.direction,
            quantity: line.quantity,
            unit_cost: cny(cost),
          };
        }),
        ...extra,
      },
    });
  };

  // opening stock: about six weeks of demand in each warehouse
  for (const warehouse of WAREHOUSES) {
    move(
      'purchase_in',
      HISTORY,
      warehouse,
      PRODUCTS.map((p) => ({
        sku: p[1],
        code: warehouse.code,
        direction: 'in' as const,
        quantity: Math.max(2, Math.round((p[8] * 6 * warehouse.share) / 10)),
      })),
      { partner: '期初库存', reference: 'QC-0001' },
    );
  }
  const suppliers = [
    '启明智能制造（苏州）有限公司',
    '安视科技股份有限公司',
    '联讯网络设备有限公司',
    '华东办公耗材供应链有限公司',
  ];
  for (let ago = HISTORY - 1; ago >= 1; ago--) {
    // sales issues most days, from the warehouse near the customer
    if (random.chance(0.7)) {
      const warehouse = random.weighted(WAREHOUSES.map((w) => [w, w.share] as const));
      const lines = random
        .sample(PRODUCTS, random.int(1, 4))
        .map((p) => {
          const available = onHand.get(key(p[1], warehouse.code)) ?? 0;
          const wanted = random.int(1, Math.max(1, Math.round(p[8] / 2)));
          return {
            sku: p[1],
            code: warehouse.code,
            direction: 'out' as const,
            quantity: Math.min(wanted, available),
          };
        })
        .filter((line) => line.quantity > 0);
      move('sales_out', ago, warehouse, lines, {
        partner: random.pick(partners),
        reference: `XS${String(HISTORY - ago).padStart(4, '0')}`,
      });
    }
    // weekly purchase receipts into Shanghai for what runs low there
    if (ago % 7 === 3) {
      const shanghai = WAREHOUSES[0];
      const lines = PRODUCTS.filter(
        (p) => (onHand.get(key(p[1], 'SH')) ?? 0) < p[8] * 2 && random.chance(0.8),
      ).map((p) => ({
        sku: p[1],
        code: 'SH',
        direction: 'in' as const,
        quantity: p[8] * 3,
      }));
      move('purchase_in', ago, shanghai, lines, {
        partner: random.pick(suppliers),
        reference: `CG${String(HISTORY - ago).padStart(4, '0')}`,
      });
    }
    // fortnightly transfers from Shanghai to the other warehouses
    if (ago % 14 === 5) {
      const target = random.pick(WAREHOUSES.slice(1));
      const lines = random.sample(PRODUCTS, random.int(2, 4)).flatMap((p) => {
        const quantity = Math.min(p[8] * 2, Math.floor((onHand.get(key(p[1], 'SH')) ?? 0) / 2));
        if (quantity < 1) return [];
        return [
          { sku: p[1], code: 'SH', direction: 'out' as const, quantity },
          { sku: p[1], code: target.code, direction: 'in' as const, quantity },
        ];
      });
      move('transfer', ago, WAREHOUSES[0], lines, {
        to_warehouse: `@${target.key}`,
        reference: `DB${String(HISTORY - ago).padStart(4, '0')}`,
      });
    }
    // a customer return now and then
    if (ago % 19 === 0) {
      const warehouse = random.pick(WAREHOUSES);
      const p = random.pick(PRODUCTS);
      move(
        'return_in',
        ago,
        warehouse,
        [{ sku: p[1], code: warehouse.code, direction: 'in', quantity: random.int(1, 3) }],
        {
          partner: random.pick(partners),
          reference: `TH${String(HISTORY - ago).padStart(4, '0')}`,
          notes: '客户退货：包装破损',
        },
      );
    }
    // the monthly stock count in Shanghai finds a few differences
    if (ago % 30 === 15) {
      const lines = random.sample(PRODUCTS, 3).flatMap((p) => {
        const have = onHand.get(key(p[1], 'SH')) ?? 0;
        const direction = random.chance(0.5) || have === 0 ? ('in' as const) : ('out' as const);
        return [
          {
            sku: p[1],
            code: 'SH',
            direction,
            quantity: direction === 'out' ? Math.min(have, random.int(1, 2)) : random.int(1, 2),
          },
        ];
      });
      move(
        'count_adjust',
        ago,
        WAREHOUSES[0],
        lines.filter((l) => l.quantity > 0),
        { reference: `PD${String(HISTORY - ago).padStart(4, '0')}`, notes: '月度盘点差异' },
      );
    }
  }

  const stock = new Map<string, number>();
  for (const p of PRODUCTS)
    stock.set(
      p[1],
      WAREHOUSES.reduce((sum, w) => sum + (onHand.get(key(p[1], w.code)) ?? 0), 0),
    );
  // most products sit above their safety stock; a few have fallen below it
  const low = new Set(random.sample(PRODUCTS, 4).map((p) => p[1]));
  for (const p of PRODUCTS) {
    const [category, sku, name, brand, specification, unit, cost, list, demand] = p;
    const have = stock.get(sku) ?? 0;
    records.push({
      module: 'product',
      key: `p_${sku}`,
      values: {
        name,
        sku,
        category: `@${category}`,
        brand,
        specification,
        unit,
        cost: cny(cost),
        list_price: cny(list),
        wholesale_price: cny(Math.round(list * 0.9)),
        distributor_price: cny(Math.round(list * 0.82)),
        floor_price: cny(Math.round(list * 0.78)),
        safety_stock: low.has(sku)
          ? have + demand * 2
          : Math.min(Math.max(1, demand * 2), Math.max(0, have - 1)),
      },
    });
  }
  for (const p of PRODUCTS) {
    for (const w of WAREHOUSES) {
      records.push({
        module: 'stock_balance',
        key: balanceKey(p[1], w.code),
        values: {
          title: key(p[1], w.code),
          product: `@p_${p[1]}`,
          warehouse: `@${w.key}`,
          location: `${w.code}-${p[0].slice(4, 6).toUpperCase()}-${random.int(1, 20)}`,
        },
      });
    }
  }
  records.push(...movements);

  return {
    file: { organisation: { departments: STOCK_DEPARTMENTS, users: [...PURCHASERS, ...KEEPERS] }, records },
    products: PRODUCTS.map((p) => ({ sku: p[1], listPrice: p[7] })),
    stock,
    balances: onHand,
  };
}

function balanceKey(sku: string, code: string): string {
  return `b_${sku}_${code}`;
}

function productBySku(sku: string): ProductRow {
  const product = PRODUCTS.find((p) => p[1] === sku);
  if (!product) throw new Error(`no product ${sku}`);
  return product;
}
