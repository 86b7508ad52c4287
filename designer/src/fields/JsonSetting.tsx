import { Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DESIGNER } from '../messages.ts';

/** A setting with a structure of its own that no input fits (a plugin field type's), edited as JSON text. */
export function JsonSetting({
  value,
  onChange,
  testId,
}: {
  value: unknown;
  onChange(v: unknown): void;
  testId?: string;
}) {
  const { t } = useTranslation(DESIGNER);
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [invalid, setInvalid] = useState(false);
  return (
    <>
      <Input.TextArea
        autoSize={{ minRows: 3, maxRows: 16 }}
        value={text}
        status={invalid ? 'error' : undefined}
        style={{ fontFamily: 'ui-monospace, monospace' }}
        data-testid={testId}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') {
            setInvalid(false);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(e.target.value));
            setInvalid(false);
          } catch {
            setInvalid(true);
          }
        }}
      />
      {invalid && <Typography.Text type="danger">{t('fields.invalidJson')}</Typography.Text>}
    </>
  );
}
