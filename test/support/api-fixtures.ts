// Module definitions the API suites publish, written as a designer or a script would send them.

export const customerModule = {
  id: 'mod_customer',
  name: 'customer',
  label: { en: 'Customer', 'zh-CN': '客户' },
  titleField: 'name',
  fields: [
    {
      id: 'f_name',
      name: 'name',
      type: 'text',
      label: { en: 'Name', 'zh-CN': '客户名称' },
      required: true,
      unique: true,
      maxLength: 80,
    },
    {
      id: 'f_level',
      name: 'level',
      type: 'select',
      label: { en: 'Level', 'zh-CN': '客户等级' },
      options: [
        { value: 'a', label: { en: 'Important', 'zh-CN': '重要' }, color: '#ff0000' },
        { value: 'b', label: { en: 'Ordinary', 'zh-CN': '普通' } },
      ],
    },
    { id: 'f_credit', name: 'credit', type: 'money', label: { en: 'Credit', 'zh-CN': '信用额度' }, min: 0 },
    {
      id: 'f_employees',
      name: 'employees',
      type: 'integer',
      label: { en: 'Employees', 'zh-CN': '员工数' },
      min: 0,
      max: 100000,
    },
    { id: 'f_since', name: 'since', type: 'date', label: { en: 'Since', 'zh-CN': '合作开始' } },
    { id: 'f_vip', name: 'vip', type: 'boolean', label: { en: 'VIP' } },
    {
      id: 'f_tags',
      name: 'tags',
      type: 'multiSelect',
      label: { en: 'Tags' },
      options: [
        { value: 'new', label: { en: 'New' } },
        { value: 'hot', label: { en: 'Hot' } },
      ],
    },
  ],
  rules: [
    {
      id: 'r_vip_level',
      expression: 'not(vip = true) or level = "a"',
      message: { en: 'A VIP customer must be important', 'zh-CN': 'VIP 客户必须是重要客户' },
      fields: ['level'],
    },
  ],
};

export const opportunityModule = {
  id: 'mod_opp',
  name: 'opportunity',
  label: { en: 'Opportunity', 'zh-CN': '商机' },
  fields: [
    { id: 'o_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
    {
      id: 'o_customer',
      name: 'customer',
      type: 'relation',
      label: { en: 'Customer', 'zh-CN': '客户' },
      target: 'mod_customer',
      inverse: { name: 'opportunities', label: { en: 'Opportunities', 'zh-CN': '商机' } },
    },
    { id: 'o_amount', name: 'amount', type: 'decimal', label: { en: 'Amount' }, scale: 2 },
    { id: 'o_discount', name: 'discount', type: 'percent', label: { en: 'Discount' } },
    { id: 'o_close', name: 'close_at', type: 'datetime', label: { en: 'Closes at' } },
    {
      id: 'o_net',
      name: 'net',
      type: 'formula',
      label: { en: 'Net' },
      expression: 'amount * (1 - discount / 100)',
      resultType: 'decimal',
      scale: 2,
    },
  ],
  rules: [
    {
      id: 'r_discount',
      expression: 'discount <= 30',
      message: { en: 'Discount above 30% needs approval', 'zh-CN': '折扣超过30%需要审批' },
      fields: ['discount'],
    },
  ],
};
