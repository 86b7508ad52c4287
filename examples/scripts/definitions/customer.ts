// The customer package: customers (with the pool), contacts, visits, phone calls, visitors and
// complaints.
import type { ModuleDefinition } from '@crm/engine';
import { fieldsOf, module, money, options, rule, t } from './build.ts';
import { ATTITUDES, DECISION_ROLES, PROVINCES, SOURCES } from './vocabulary.ts';

export const CUSTOMER = 'mod_customer';
export const CONTACT = 'mod_contact';
export const VISIT = 'mod_visit';
export const PHONE_CALL = 'mod_phone_call';
export const VISITOR = 'mod_visitor';
export const COMPLAINT = 'mod_complaint';

/** Relationship stages a customer counts as trading in (churn is watched for these). */
export const TRADING = '["current", "loyal"]';

const c = fieldsOf('cust');

/** The customer without what other packages add (value from contracts: see opportunity.ts). */
export const customer = module({
  id: CUSTOMER,
  name: 'customer',
  label: t('Customer', '客户'),
  pluralLabel: t('Customers', '客户'),
  description: t(
    'Companies and people we sell to; customers without an owner are in the customer pool',
    '我们销售的企业和个人；没有负责人的客户在公海（客户池）中',
  ),
  icon: 'building',
  titleField: 'name',
  fields: [
    c('name', 'text', t('Customer name', '客户名称'), { required: true, unique: true, maxLength: 120 }),
    c('number', 'autonumber', t('Customer number', '客户编号'), { pattern: 'KH{YYYY}{00000}' }),
    c('short_name', 'text', t('Short name', '简称'), { maxLength: 30 }),
    c('customer_type', 'select', t('Type', '客户类型'), {
      required: true,
      defaultValue: '"enterprise"',
      options: options([
        ['enterprise', 'Enterprise', '企业客户', '#1677ff'],
        ['public', 'Government / institution', '政府及事业单位', '#722ed1'],
        ['distributor', 'Distributor', '经销商/代理商', '#fa8c16'],
        ['individual', 'Individual', '个人客户', '#52c41a'],
      ]),
    }),
    c('industry', 'select', t('Industry', '所属行业'), {
      indexed: true,
      options: options([
        ['manufacturing', 'Manufacturing', '制造业'],
        ['retail', 'Retail and wholesale', '批发零售'],
        ['it', 'IT and software', '信息技术'],
        ['finance', 'Finance and insurance', '金融保险'],
        ['education', 'Education', '教育培训'],
        ['healthcare', 'Healthcare', '医疗健康'],
        ['construction', 'Construction and real estate', '建筑地产'],
        ['logistics', 'Logistics', '交通物流'],
        ['energy', 'Energy and utilities', '能源电力'],
        ['food', 'Food and beverage', '食品饮料'],
        ['public_sector', 'Public sector', '政府公共'],
        ['other', 'Other', '其他'],
      ]),
    }),
    c('size', 'select', t('Company size', '企业规模'), {
      help: t('Number of employees', '按员工人数'),
      options: options([
        ['micro', 'Under 20', '20人以下'],
        ['small', '20–99', '20-99人'],
        ['medium', '100–499', '100-499人'],
        ['large', '500–999', '500-999人'],
        ['xlarge', '1000 and more', '1000人以上'],
      ]),
    }),
    c('source', 'select', t('Source', '客户来源'), { options: options(SOURCES) }),
    c('relationship', 'select', t('Relationship stage', '客户关系'), {
      required: true,
      indexed: true,
      defaultValue: '"prospect"',
      options: options([
        ['prospect', 'Prospect', '潜在客户', '#d9d9d9'],
        ['intent', 'Interested', '意向客户', '#1677ff'],
        ['current', 'Customer', '成交客户', '#52c41a'],
        ['loyal', 'Loyal customer', '忠诚客户', '#237804'],
        ['lost', 'Lost', '流失客户', '#ff4d4f'],
      ]),
    }),
    c('credit_rating', 'select', t('Credit rating', '信用等级'), {
      help: t(
        'AAA excellent … C poor; decides the payment terms finance allows',
        'AAA 最好，C 最差；决定财务允许的付款条件',
      ),
      options: options([
        ['AAA', 'AAA: excellent', 'AAA 优秀', '#237804'],
        ['AA', 'AA: good', 'AA 良好', '#52c41a'],
        ['A', 'A: fair', 'A 一般', '#1677ff'],
        ['B', 'B: watch', 'B 关注', '#fa8c16'],
        ['C', 'C: poor', 'C 较差', '#ff4d4f'],
      ]),
    }),
    c('credit_limit', 'money', t('Credit limit', '信用额度'), money()),
    c('province', 'select', t('Province', '省份'), { indexed: true, options: options(PROVINCES) }),
    c('city', 'text', t('City', '城市'), { maxLength: 30 }),
    c('address', 'text', t('Address', '详细地址'), { maxLength: 200 }),
    c('phone', 'phone', t('Phone', '电话')),
    c('website', 'url', t('Website', '网址')),
    c('legal_representative', 'text', t('Legal representative', '法人代表'), { maxLength: 30 }),
    c('main_business', 'text', t('Main business', '主营业务'), { maxLength: 200 }),
    c('contact_count', 'rollup', t('Contacts', '联系人数'), { over: 'contacts', aggregate: 'count' }),
    c('visit_count', 'rollup', t('Visits', '拜访次数'), { over: 'visits', aggregate: 'count' }),
    c('last_visit', 'rollup', t('Last visit', '最近拜访'), {
      over: 'visits',
      aggregate: 'max',
      field: 'visit_date',
      resultType: 'date',
    }),
    c('last_call', 'rollup', t('Last call', '最近通话'), {
      over: 'phone_calls',
      aggregate: 'max',
      field: 'call_time',
      resultType: 'datetime',
    }),
    c('last_contact', 'formula', t('Last contact', '最近联系日期'), {
      help: t('The later of the last visit and the last call', '最近拜访与最近通话中较晚的日期'),
      expression:
        'if last_call = null then last_visit ' +
        'else if last_visit = null or date(last_call) > last_visit then date(last_call) else last_visit',
      resultType: 'date',
    }),
    c('days_since_contact', 'formula', t('Days since contact', '未联系天数'), {
      help: t('Days from the last contact to today', '最近联系日至今的天数'),
      expression: 'if last_contact = null then null else (today() - last_contact).days',
      resultType: 'integer',
    }),
    c('churn_risk', 'formula', t('Churn risk', '流失预警'), {
      help: t(
        'A trading customer not contacted for 60 days, or with an open complaint',
        '成交客户超过 60 天未联系，或有未处理的投诉',
      ),
      // `in` takes everything after it as its test: the parentheses are needed (a publish refuses it without)
      expression: `(relationship in ${TRADING}) and (last_contact = null or days_since_contact > 60 or open_complaints > 0)`,
      resultType: 'boolean',
    }),
    c('open_complaints', 'rollup', t('Open complaints', '未结投诉'), {
      over: 'complaints',
      aggregate: 'count',
      filter: 'status in ["open", "processing"]',
    }),
    c('in_pool', 'formula', t('In the pool', '在公海'), {
      help: t('No owner: any salesperson may claim it', '无负责人：任何销售都可以领取'),
      expression: 'owner = null',
      resultType: 'boolean',
    }),
    c('claimed_at', 'datetime', t('Claimed at', '领取时间')),
    c('pool_returned_at', 'datetime', t('Returned to pool at', '退回公海时间')),
    c('pool_reason', 'select', t('Why in the pool', '进入公海原因'), {
      options: options([
        ['new', 'New lead, not assigned yet', '新线索未分配'],
        ['no_follow_up', 'No contact for too long', '超期未跟进'],
        ['released', 'Released by its owner', '负责人主动放弃'],
        ['owner_left', 'Owner left the company', '负责人离职'],
      ]),
    }),
    c('notes', 'longText', t('Notes', '备注'), { maxLength: 4000 }),
  ],
  rules: [
    rule(
      'cust_pool_reason',
      'pool_returned_at = null or pool_reason != null',
      ['pool_reason'],
      'Say why the customer went back to the pool',
      '请填写客户退回公海的原因',
    ),
    rule(
      'cust_credit_rating',
      'credit_limit = null or credit_limit = 0 or credit_rating != null',
      ['credit_rating'],
      'A credit limit needs a credit rating',
      '设置信用额度前请先评定信用等级',
    ),
  ],
  sections: [
    {
      id: 'basic',
      label: t('Basic information', '基本信息'),
      columns: 2,
      fields: ['name', 'number', 'short_name', 'customer_type', 'industry', 'size', 'source', 'relationship'],
    },
    {
      id: 'address',
      label: t('Address and contact', '地址与联系方式'),
      columns: 2,
      fields: ['province', 'city', 'address', 'phone', 'website', 'legal_representative', 'main_business'],
    },
    {
      id: 'credit',
      label: t('Credit', '信用'),
      columns: 2,
      fields: ['credit_rating', 'credit_limit'],
    },
    {
      id: 'follow_up',
      label: t('Follow-up', '跟进情况'),
      columns: 3,
      fields: [
        'last_contact',
        'days_since_contact',
        'churn_risk',
        'last_visit',
        'last_call',
        'visit_count',
        'contact_count',
        'open_complaints',
      ],
    },
    {
      id: 'pool',
      label: t('Customer pool', '公海'),
      columns: 2,
      collapsed: true,
      fields: ['in_pool', 'claimed_at', 'pool_returned_at', 'pool_reason'],
    },
    { id: 'other', label: t('Other', '其他'), columns: 1, fields: ['notes'] },
  ],
});

const ct = fieldsOf('con');

export const contact = module({
  id: CONTACT,
  name: 'contact',
  label: t('Contact', '联系人'),
  pluralLabel: t('Contacts', '联系人'),
  icon: 'user',
  titleField: 'name',
  fields: [
    ct('name', 'text', t('Name', '姓名'), { required: true, maxLength: 60 }),
    ct('customer', 'relation', t('Customer', '所属客户'), {
      required: true,
      target: CUSTOMER,
      inverse: { name: 'contacts', label: t('Contacts', '联系人') },
    }),
    ct('gender', 'select', t('Gender', '性别'), {
      options: options([
        ['male', 'Male', '男'],
        ['female', 'Female', '女'],
      ]),
    }),
    ct('department', 'text', t('Department', '部门'), { maxLength: 60 }),
    ct('job_title', 'text', t('Job title', '职务'), { maxLength: 60 }),
    ct('decision_role', 'select', t('Role in decisions', '决策角色'), { options: options(DECISION_ROLES) }),
    ct('attitude', 'select', t('Attitude to us', '对我方态度'), { options: options(ATTITUDES) }),
    ct('is_primary', 'boolean', t('Primary contact', '首要联系人'), { defaultValue: 'false' }),
    ct('mobile', 'phone', t('Mobile', '手机')),
    ct('office_phone', 'phone', t('Office phone', '办公电话')),
    ct('email', 'email', t('Email', '邮箱')),
    ct('wechat', 'text', t('WeChat', '微信'), { maxLength: 60 }),
    ct('birthday', 'date', t('Birthday', '生日')),
    ct('traits', 'longText', t('Character and interests', '性格与爱好'), {
      help: t(
        'What matters to this person, how they like to be approached',
        '此人看重什么、喜欢怎样的沟通方式',
      ),
      maxLength: 2000,
    }),
  ],
  rules: [
    rule(
      'con_reach',
      'mobile != null or office_phone != null or email != null',
      ['mobile', 'office_phone', 'email'],
      'Give a mobile number, an office phone or an email address',
      '手机、办公电话和邮箱至少填写一项',
    ),
    rule(
      'con_birthday',
      'birthday = null or birthday < today()',
      ['birthday'],
      'The birthday must be in the past',
      '生日必须早于今天',
    ),
  ],
  sections: [
    {
      id: 'basic',
      label: t('Contact', '联系人信息'),
      columns: 2,
      fields: ['name', 'customer', 'gender', 'department', 'job_title', 'is_primary'],
    },
    {
      id: 'decision',
      label: t('Decision making', '决策关系'),
      columns: 2,
      fields: ['decision_role', 'attitude'],
    },
    {
      id: 'reach',
      label: t('How to reach', '联系方式'),
      columns: 2,
      fields: ['mobile', 'office_phone', 'email', 'wechat', 'birthday'],
    },
    { id: 'traits', label: t('Personal notes', '个人特点'), columns: 1, fields: ['traits'] },
  ],
});

const v = fieldsOf('vis');

export const visit = module({
  id: VISIT,
  name: 'visit',
  label: t('Visit record', '拜访记录'),
  pluralLabel: t('Visit records', '拜访记录'),
  description: t('Interviews and visits with customers', '客户访谈与拜访记录'),
  icon: 'calendar',
  titleField: 'subject',
  fields: [
    v('subject', 'text', t('Subject', '主题'), { required: true, maxLength: 120 }),
    v('customer', 'relation', t('Customer', '客户'), {
      required: true,
      target: CUSTOMER,
      inverse: { name: 'visits', label: t('Visits', '拜访记录') },
    }),
    v('contact', 'relation', t('Contact met', '拜访对象'), {
      target: CONTACT,
      onDelete: 'setNull',
      inverse: { name: 'visits', label: t('Visits', '拜访记录') },
    }),
    v('visit_date', 'date', t('Visit date', '拜访日期'), { required: true, indexed: true }),
    v('visit_type', 'select', t('Way', '拜访方式'), {
      defaultValue: '"on_site"',
      options: options([
        ['on_site', 'On site', '上门拜访'],
        ['video', 'Video meeting', '视频会议'],
        ['fair', 'At a trade fair', '展会洽谈'],
        ['dinner', 'Business dinner', '商务宴请'],
      ]),
    }),
    v('purpose', 'select', t('Purpose', '拜访目的'), {
      required: true,
      options: options([
        ['first_visit', 'First visit', '初次拜访'],
        ['needs', 'Needs analysis', '需求调研'],
        ['demo', 'Product demonstration', '产品演示'],
        ['negotiation', 'Negotiation', '商务洽谈'],
        ['relationship', 'Relationship care', '关系维护'],
        ['collection', 'Payment collection', '回款催收'],
        ['after_sales', 'After-sales follow-up', '售后回访'],
      ]),
    }),
    v('content', 'longText', t('What was discussed', '洽谈内容'), { required: true, maxLength: 4000 }),
    v('customer_feedback', 'longText', t('Customer feedback', '客户反馈'), { maxLength: 2000 }),
    v('next_step', 'text', t('Next step', '下一步计划'), { maxLength: 200 }),
    v('next_visit', 'date', t('Next visit', '下次拜访日期')),
  ],
  rules: [
    rule(
      'vis_not_future',
      'visit_date <= today()',
      ['visit_date'],
      'A visit record is written after the visit: the date cannot be in the future',
      '拜访记录在拜访之后填写，日期不能晚于今天',
    ),
    rule(
      'vis_next_after',
      'next_visit = null or next_visit > visit_date',
      ['next_visit'],
      'The next visit comes after this one',
      '下次拜访日期必须晚于本次拜访',
    ),
  ],
  sections: [
    {
      id: 'visit',
      label: t('Visit', '拜访信息'),
      columns: 2,
      fields: ['subject', 'customer', 'contact', 'visit_date', 'visit_type', 'purpose'],
    },
    {
      id: 'content',
      label: t('Content', '拜访内容'),
      columns: 1,
      fields: ['content', 'customer_feedback'],
    },
    { id: 'next', label: t('Next step', '后续安排'), columns: 2, fields: ['next_step', 'next_visit'] },
  ],
});

const pc = fieldsOf('call');

export const phoneCall = module({
  id: PHONE_CALL,
  name: 'phone_call',
  label: t('Phone call', '电话记录'),
  pluralLabel: t('Phone-call log', '电话接听登记'),
  icon: 'phone',
  titleField: 'topic',
  fields: [
    pc('topic', 'text', t('Topic', '来电主题'), { required: true, maxLength: 120 }),
    pc('direction', 'select', t('Direction', '呼叫方向'), {
      required: true,
      defaultValue: '"inbound"',
      options: options([
        ['inbound', 'Inbound', '来电'],
        ['outbound', 'Outbound', '去电'],
      ]),
    }),
    pc('call_time', 'datetime', t('Time', '通话时间'), { required: true, indexed: true }),
    pc('caller', 'text', t('Caller', '来电人'), { required: true, maxLength: 60 }),
    pc('phone', 'phone', t('Phone number', '电话号码'), { required: true }),
    pc('customer', 'relation', t('Customer', '客户'), {
      target: CUSTOMER,
      onDelete: 'setNull',
      inverse: { name: 'phone_calls', label: t('Phone calls', '电话记录') },
    }),
    pc('contact', 'relation', t('Contact', '联系人'), {
      target: CONTACT,
      onDelete: 'setNull',
      inverse: { name: 'phone_calls', label: t('Phone calls', '电话记录') },
    }),
    pc('channel', 'select', t('Found us through', '来源渠道'), { options: options(SOURCES) }),
    pc('intent', 'select', t('Intent level', '意向程度'), {
      options: options([
        ['high', 'High', '高', '#f5222d'],
        ['medium', 'Medium', '中', '#fa8c16'],
        ['low', 'Low', '低', '#1677ff'],
        ['none', 'None', '无'],
      ]),
    }),
    pc('duration_minutes', 'integer', t('Duration (minutes)', '通话时长（分钟）'), { min: 0, max: 600 }),
    pc('summary', 'longText', t('Summary', '通话内容'), { maxLength: 2000 }),
    pc('follow_up_by', 'user', t('Follow-up owner', '跟进人')),
    pc('follow_up_date', 'date', t('Follow up by', '跟进日期')),
  ],
  rules: [
    rule(
      'call_follow_up',
      'follow_up_date = null or follow_up_by != null',
      ['follow_up_by'],
      'Name who follows up',
      '请指定跟进人',
    ),
    rule(
      'call_follow_after',
      'follow_up_date = null or follow_up_date >= date(call_time)',
      ['follow_up_date'],
      'The follow-up cannot be before the call',
      '跟进日期不能早于通话日期',
    ),
  ],
  sections: [
    {
      id: 'call',
      label: t('Call', '通话信息'),
      columns: 2,
      fields: [
        'topic',
        'direction',
        'call_time',
        'duration_minutes',
        'caller',
        'phone',
        'customer',
        'contact',
      ],
    },
    {
      id: 'lead',
      label: t('Enquiry', '咨询情况'),
      columns: 2,
      fields: ['channel', 'intent', 'summary'],
    },
    {
      id: 'follow_up',
      label: t('Follow-up', '跟进'),
      columns: 2,
      fields: ['follow_up_by', 'follow_up_date'],
    },
  ],
});

const vl = fieldsOf('vlog');

export const visitor = module({
  id: VISITOR,
  name: 'visitor',
  label: t('Visitor', '来访登记'),
  pluralLabel: t('Visitor log', '客户来访登记'),
  description: t('People who came to our office or showroom', '到访公司或展厅的客户'),
  icon: 'door',
  titleField: 'visitor_name',
  fields: [
    vl('visitor_name', 'text', t('Visitor', '来访人'), { required: true, maxLength: 60 }),
    vl('company', 'text', t('Company', '单位'), { maxLength: 120 }),
    vl('customer', 'relation', t('Customer', '客户'), {
      target: CUSTOMER,
      onDelete: 'setNull',
      inverse: { name: 'visitors', label: t('Visitors', '来访记录') },
    }),
    vl('phone', 'phone', t('Phone', '电话')),
    vl('companions', 'integer', t('Companions', '同行人数'), { min: 0, max: 100, defaultValue: '0' }),
    vl('arrived_at', 'datetime', t('Arrived', '来访时间'), { required: true }),
    vl('left_at', 'datetime', t('Left', '离开时间')),
    vl('heard_from', 'select', t('How they heard of us', '了解渠道'), { options: options(SOURCES) }),
    vl('needs', 'longText', t('Needs', '需求'), { maxLength: 2000 }),
    vl('budget', 'money', t('Budget', '预算'), money()),
    vl('consultant', 'user', t('Received by', '接待顾问')),
  ],
  rules: [
    rule(
      'vlog_left_after',
      'left_at = null or left_at > arrived_at',
      ['left_at'],
      'A visitor leaves after arriving',
      '离开时间必须晚于来访时间',
    ),
  ],
  sections: [
    {
      id: 'visitor',
      label: t('Visitor', '来访人'),
      columns: 2,
      fields: ['visitor_name', 'company', 'customer', 'phone', 'companions', 'arrived_at', 'left_at'],
    },
    {
      id: 'needs',
      label: t('Needs', '需求'),
      columns: 2,
      fields: ['heard_from', 'budget', 'needs', 'consultant'],
    },
  ],
});

const cp = fieldsOf('cpl');

export const complaint = module({
  id: COMPLAINT,
  name: 'complaint',
  label: t('Complaint', '客户投诉'),
  pluralLabel: t('Complaints', '客户投诉'),
  icon: 'alert',
  titleField: 'subject',
  fields: [
    cp('number', 'autonumber', t('Complaint number', '投诉编号'), { pattern: 'TS{YYYY}{MM}-{000}' }),
    cp('subject', 'text', t('Subject', '投诉主题'), { required: true, maxLength: 120 }),
    cp('customer', 'relation', t('Customer', '客户'), {
      required: true,
      target: CUSTOMER,
      inverse: { name: 'complaints', label: t('Complaints', '投诉') },
    }),
    cp('contact', 'relation', t('Complained by', '投诉人'), { target: CONTACT, onDelete: 'setNull' }),
    cp('received_at', 'datetime', t('Received', '受理时间'), { required: true }),
    cp('category', 'select', t('Category', '投诉类别'), {
      required: true,
      options: options([
        ['quality', 'Product quality', '产品质量'],
        ['delivery', 'Late delivery', '交付延迟'],
        ['service', 'Service attitude', '服务态度'],
        ['installation', 'Installation', '安装调试'],
        ['billing', 'Billing and invoices', '账单发票'],
        ['other', 'Other', '其他'],
      ]),
    }),
    cp('severity', 'select', t('Severity', '严重程度'), {
      required: true,
      defaultValue: '"medium"',
      options: options([
        ['high', 'High', '严重', '#f5222d'],
        ['medium', 'Medium', '一般', '#fa8c16'],
        ['low', 'Low', '轻微', '#1677ff'],
      ]),
    }),
    cp('description', 'longText', t('Description', '投诉内容'), { required: true, maxLength: 4000 }),
    cp('handler', 'user', t('Handler', '处理人')),
    cp('deadline', 'date', t('Deadline', '处理期限'), { required: true }),
    cp('status', 'select', t('Status', '处理状态'), {
      required: true,
      indexed: true,
      defaultValue: '"open"',
      options: options([
        ['open', 'Open', '待处理', '#f5222d'],
        ['processing', 'Being handled', '处理中', '#fa8c16'],
        ['resolved', 'Resolved', '已解决', '#52c41a'],
        ['closed', 'Closed', '已关闭'],
      ]),
    }),
    cp('resolved_at', 'datetime', t('Resolved', '解决时间')),
    cp('outcome', 'longText', t('Outcome', '处理结果'), { maxLength: 4000 }),
    cp('satisfaction', 'select', t('Customer satisfaction', '客户满意度'), {
      options: options([
        ['satisfied', 'Satisfied', '满意', '#52c41a'],
        ['neutral', 'Neutral', '一般'],
        ['dissatisfied', 'Dissatisfied', '不满意', '#ff4d4f'],
      ]),
    }),
    cp('overdue', 'formula', t('Overdue', '已超期'), {
      help: t(
        'Still open after its deadline (as of the last save)',
        '超过处理期限仍未解决（按最后保存时计算）',
      ),
      expression: '(status in ["open", "processing"]) and deadline < today()',
      resultType: 'boolean',
    }),
  ],
  rules: [
    rule(
      'cpl_deadline',
      'deadline >= date(received_at)',
      ['deadline'],
      'The deadline cannot be before the complaint was received',
      '处理期限不能早于受理日期',
    ),
    rule(
      'cpl_outcome',
      'outcome != null and resolved_at != null and handler != null',
      ['outcome', 'resolved_at', 'handler'],
      'A resolved complaint needs its handler, outcome and time',
      '已解决的投诉必须填写处理人、处理结果和解决时间',
      'status in ["resolved", "closed"]',
    ),
    rule(
      'cpl_resolved_after',
      'resolved_at = null or resolved_at >= received_at',
      ['resolved_at'],
      'A complaint is resolved after it was received',
      '解决时间不能早于受理时间',
    ),
  ],
  sections: [
    {
      id: 'complaint',
      label: t('Complaint', '投诉信息'),
      columns: 2,
      fields: [
        'number',
        'subject',
        'customer',
        'contact',
        'received_at',
        'category',
        'severity',
        'description',
      ],
    },
    {
      id: 'handling',
      label: t('Handling', '处理'),
      columns: 2,
      fields: ['handler', 'deadline', 'status', 'overdue', 'resolved_at', 'outcome', 'satisfaction'],
    },
  ],
});

export const customerModules: ModuleDefinition[] = [customer, contact, visit, phoneCall, visitor, complaint];
