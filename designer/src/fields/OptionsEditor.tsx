import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, ColorPicker, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { DESIGNER } from '../messages.ts';

interface Option {
  value: string;
  label: Record<string, string>;
  color?: string;
}

/** The options of a select: stored value, labels in both languages, an optional colour. */
export function OptionsEditor({ value, onChange }: { value: unknown[]; onChange(v: unknown): void }) {
  const { t } = useTranslation(DESIGNER);
  const options = value as Option[];
  const change = (index: number, option: Option) =>
    onChange(options.map((o, i) => (i === index ? option : o)));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="options-editor">
      {options.map((option, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: options are edited in place, their values change as typed
        <Space.Compact key={index} style={{ width: '100%' }}>
          <Input
            style={{ width: '25%' }}
            placeholder={t('options.value')}
            value={option.value}
            onChange={(e) => change(index, { ...option, value: e.target.value })}
          />
          <Input
            placeholder="EN"
            value={option.label?.en ?? ''}
            onChange={(e) => change(index, { ...option, label: { ...option.label, en: e.target.value } })}
          />
          <Input
            placeholder="中文"
            value={option.label?.['zh-CN'] ?? ''}
            onChange={(e) =>
              change(index, { ...option, label: { ...option.label, 'zh-CN': e.target.value } })
            }
          />
          <ColorPicker
            value={option.color}
            allowClear
            onChange={(color) => {
              const next = { ...option };
              if (color.cleared) delete next.color;
              else next.color = color.toHexString();
              change(index, next);
            }}
          />
          <Button icon={<DeleteOutlined />} onClick={() => onChange(options.filter((_, i) => i !== index))} />
        </Space.Compact>
      ))}
      <Button
        icon={<PlusOutlined />}
        onClick={() =>
          onChange([...options, { value: `option_${options.length + 1}`, label: { en: '', 'zh-CN': '' } }])
        }
      >
        {t('options.add')}
      </Button>
    </Space>
  );
}
