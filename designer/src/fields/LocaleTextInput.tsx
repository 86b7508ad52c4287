import { Form, Input, Space } from 'antd';

export interface LocaleTextInputProps {
  label?: string;
  value: Record<string, string> | undefined;
  onChange(value: Record<string, string> | undefined): void;
  testId?: string;
  required?: boolean;
}

/** A label in both languages: English and 简体中文 side by side. */
export function LocaleTextInput({ label, value, onChange, testId, required }: LocaleTextInputProps) {
  const set = (locale: 'en' | 'zh-CN', text: string) => {
    const next = { ...(value ?? {}) };
    if (text === '') delete next[locale];
    else next[locale] = text;
    onChange(Object.keys(next).length > 0 ? next : undefined);
  };
  const inputs = (
    <Space.Compact style={{ width: '100%' }}>
      <Input
        addonBefore="EN"
        value={value?.en ?? ''}
        onChange={(e) => set('en', e.target.value)}
        data-testid={testId ? `${testId}-en` : undefined}
      />
      <Input
        addonBefore="中"
        value={value?.['zh-CN'] ?? ''}
        onChange={(e) => set('zh-CN', e.target.value)}
        data-testid={testId ? `${testId}-zh` : undefined}
      />
    </Space.Compact>
  );
  return label ? (
    <Form.Item label={label} required={required}>
      {inputs}
    </Form.Item>
  ) : (
    inputs
  );
}
