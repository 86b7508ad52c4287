import { type PackagePreview, splitFilePointer } from '@crm/engine';

export type Locale = 'en' | 'zh-CN';

/** The terminal's language: Chinese where LANG says so, English otherwise. */
export function terminalLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  return (env.LC_ALL || env.LC_MESSAGES || env.LANG || '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

const WORDS = {
  en: {
    package: 'Package',
    installed: 'installed now',
    none: 'none',
    added: 'added',
    changed: 'changed',
    unchanged: 'unchanged',
    untouched: 'Not in the package (left as they are)',
    plan: 'Migration plan',
    problems: 'Problems (nothing will be imported)',
    draft: 'replaces an unpublished draft',
    summary: (a: number, c: number, u: number) => `${a} added, ${c} changed, ${u} unchanged.`,
  },
  'zh-CN': {
    package: '应用包',
    installed: '当前已安装',
    none: '无',
    added: '新增',
    changed: '修改',
    unchanged: '未变',
    untouched: '应用包未包含（保持不变）',
    plan: '迁移计划',
    problems: '问题（不会导入任何内容）',
    draft: '将替换未发布的草稿',
    summary: (a: number, c: number, u: number) => `新增 ${a}，修改 ${c}，未变 ${u}。`,
  },
};

/** The preview of a package import as lines for the terminal. */
export function previewLines(preview: PackagePreview, locale: Locale = 'en'): string[] {
  const w = WORDS[locale];
  const pick = (text: Record<string, string>) => text[locale] ?? text.en;
  const { manifest, installed } = preview;
  const lines = [
    `${w.package} ${manifest.name} ${manifest.version} (${w.installed}: ${
      installed ? `${installed.name} ${installed.version}` : w.none
    })`,
  ];
  for (const item of preview.items) {
    const versions =
      item.kind === 'modules' && item.status !== 'unchanged'
        ? ` v${item.fromVersion ?? 0} → v${item.toVersion}`
        : '';
    const draft = item.replacesDraft ? `, ${w.draft}` : '';
    lines.push(`  ${item.file} (${item.name}): ${w[item.status]}${versions}${draft}`);
    for (const change of item.changes) lines.push(`      ${pick(change.description)}`);
  }
  if (preview.untouched.length > 0) {
    lines.push(`${w.untouched}: ${preview.untouched.map((u) => `${u.kind}/${u.name}`).join(', ')}`);
  }
  if (preview.steps.length > 0) {
    lines.push(`${w.plan}:`);
    for (const [i, step] of preview.steps.entries()) lines.push(`  ${i + 1}. ${pick(step.description)}`);
  }
  if (preview.problems.length > 0) {
    lines.push(`${w.problems}:`);
    for (const problem of preview.problems) {
      const { file, pointer } = splitFilePointer(problem.pointer);
      lines.push(`  ${file} ${pointer || '/'}: ${problem.messages?.[locale] ?? problem.message}`);
    }
  }
  const { added, changed, unchanged } = preview.summary;
  lines.push(w.summary(added, changed, unchanged));
  return lines;
}
