// Option lists more than one module uses.
import type { Option } from './build.ts';

export const PROVINCES: Option[] = [
  ['beijing', 'Beijing', '北京'],
  ['tianjin', 'Tianjin', '天津'],
  ['hebei', 'Hebei', '河北'],
  ['shanxi', 'Shanxi', '山西'],
  ['inner_mongolia', 'Inner Mongolia', '内蒙古'],
  ['liaoning', 'Liaoning', '辽宁'],
  ['jilin', 'Jilin', '吉林'],
  ['heilongjiang', 'Heilongjiang', '黑龙江'],
  ['shanghai', 'Shanghai', '上海'],
  ['jiangsu', 'Jiangsu', '江苏'],
  ['zhejiang', 'Zhejiang', '浙江'],
  ['anhui', 'Anhui', '安徽'],
  ['fujian', 'Fujian', '福建'],
  ['jiangxi', 'Jiangxi', '江西'],
  ['shandong', 'Shandong', '山东'],
  ['henan', 'Henan', '河南'],
  ['hubei', 'Hubei', '湖北'],
  ['hunan', 'Hunan', '湖南'],
  ['guangdong', 'Guangdong', '广东'],
  ['guangxi', 'Guangxi', '广西'],
  ['hainan', 'Hainan', '海南'],
  ['chongqing', 'Chongqing', '重庆'],
  ['sichuan', 'Sichuan', '四川'],
  ['guizhou', 'Guizhou', '贵州'],
  ['yunnan', 'Yunnan', '云南'],
  ['tibet', 'Tibet', '西藏'],
  ['shaanxi', 'Shaanxi', '陕西'],
  ['gansu', 'Gansu', '甘肃'],
  ['qinghai', 'Qinghai', '青海'],
  ['ningxia', 'Ningxia', '宁夏'],
  ['xinjiang', 'Xinjiang', '新疆'],
  ['hong_kong', 'Hong Kong', '香港'],
  ['macau', 'Macau', '澳门'],
  ['taiwan', 'Taiwan', '台湾'],
];

/** Where a customer or an enquiry came from. */
export const SOURCES: Option[] = [
  ['referral', 'Customer referral', '客户介绍', '#52c41a'],
  ['website', 'Website', '官网咨询', '#1677ff'],
  ['trade_fair', 'Trade fair', '展会', '#722ed1'],
  ['cold_call', 'Telemarketing', '电话营销'],
  ['advertising', 'Advertising', '广告投放'],
  ['search', 'Search engine', '搜索引擎'],
  ['channel', 'Channel partner', '渠道代理'],
  ['campaign', 'Marketing campaign', '市场活动'],
  ['other', 'Other', '其他'],
];

export const DECISION_ROLES: Option[] = [
  ['decision_maker', 'Decision maker', '决策者', '#f5222d'],
  ['influencer', 'Influencer', '影响者', '#fa8c16'],
  ['evaluator', 'Technical evaluator', '技术评估者', '#1677ff'],
  ['user', 'User', '使用者'],
  ['gatekeeper', 'Gatekeeper', '把关者'],
];

export const ATTITUDES: Option[] = [
  ['supportive', 'Supportive', '支持', '#52c41a'],
  ['neutral', 'Neutral', '中立'],
  ['opposed', 'Opposed', '反对', '#ff4d4f'],
];
