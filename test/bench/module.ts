// The module the benchmarks use: typical of an opportunity list (select, money, formula, rule, relation-free).
export const BENCH_MODULE = {
  id: 'mod_bench_deal',
  name: 'deal',
  label: { en: 'Deal', 'zh-CN': '交易' },
  fields: [
    { id: 'b_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true, maxLength: 120 },
    {
      id: 'b_stage',
      name: 'stage',
      type: 'select',
      label: { en: 'Stage' },
      indexed: true,
      options: ['initial', 'needs', 'proposal', 'negotiation', 'won', 'lost'].map((v) => ({
        value: v,
        label: { en: v },
      })),
    },
    { id: 'b_amount', name: 'amount', type: 'money', label: { en: 'Amount' }, min: 0, indexed: true },
    {
      id: 'b_prob',
      name: 'probability',
      type: 'percent',
      label: { en: 'Probability' },
      min: 0,
      max: 100,
      scale: 0,
    },
    {
      id: 'b_weighted',
      name: 'weighted',
      type: 'formula',
      label: { en: 'Weighted' },
      expression: 'amount * probability / 100',
      resultType: 'decimal',
      scale: 2,
    },
    { id: 'b_close', name: 'close_date', type: 'date', label: { en: 'Close date' } },
    { id: 'b_email', name: 'email', type: 'email', label: { en: 'Email' } },
  ],
  rules: [
    {
      id: 'b_rule',
      expression: 'probability <= 100',
      message: { en: 'Probability is at most 100' },
      fields: ['probability'],
    },
  ],
};

const STAGES = ['initial', 'needs', 'proposal', 'negotiation', 'won', 'lost'];

/** A deterministic sample row for index `i`, as the API takes it. */
export function benchRecord(i: number) {
  const amount = 1000 + ((i * 7919) % 2_000_000);
  return {
    title: `Deal ${i} 项目`,
    stage: STAGES[i % STAGES.length],
    amount: { amount, currency: 'CNY' },
    probability: (i * 13) % 101,
    close_date: `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    email: `buyer${i}@example.cn`,
  };
}
