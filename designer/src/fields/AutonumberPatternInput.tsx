import { formatNumber, parsePattern } from '@crm/engine/browser';
import { Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DESIGNER } from '../messages.ts';

const DEFAULT_PATTERN = '{000000}';

/** An autonumber's pattern with the numbers it gives, worked out as the engine does, or why it is refused. */
export function AutonumberPatternInput({
  value,
  start,
  onChange,
}: {
  value: string | undefined;
  start: number | undefined;
  onChange(value: string): void;
}) {
  const { t } = useTranslation(DESIGNER);
  const parsed = parsePattern(value || DEFAULT_PATTERN);
  const now = new Date();
  const today = { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() };
  const first = start ?? 1;
  return (
    <>
      <Input
        value={value ?? ''}
        placeholder={DEFAULT_PATTERN}
        status={'error' in parsed ? 'error' : undefined}
        onChange={(e) => onChange(e.target.value)}
        data-testid="setting-pattern"
      />
      <Typography.Text
        type={'error' in parsed ? 'danger' : 'secondary'}
        data-testid="autonumber-example"
        style={{ display: 'block' }}
      >
        {'error' in parsed
          ? t('autonumber.invalid')
          : t('autonumber.example', {
              first: formatNumber(parsed, today, first),
              second: formatNumber(parsed, today, first + 1),
            })}
      </Typography.Text>
    </>
  );
}
