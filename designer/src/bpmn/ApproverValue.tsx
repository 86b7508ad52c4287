import { useLocale, useLocalize } from '@crm/ui';
import { useQuery } from '@tanstack/react-query';
import { Input, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesignerFormServices } from '../preview/compile.ts';
import { roleApi } from '../roles/role-api.ts';
import type { ApproverRule } from './approval-model.ts';
import { BPMN } from './messages.ts';

interface ValueProps {
  rule: ApproverRule;
  onChange(value: string): void;
  testId: string | undefined;
}

/**
 * The `value` of a `users`, `role` or `expression` approver rule: people picked from the directory (kept
 * as `"id, id"`), a role picked from the roles, or FEEL. A users value written as FEEL (`=[…]`) stays text.
 */
export function ApproverValue({ rule, onChange, testId }: ValueProps) {
  const { t } = useTranslation(BPMN);
  const value = rule.value ?? '';
  if (rule.source === 'role') return <RolePicker value={value} onChange={onChange} testId={testId} />;
  if (rule.source === 'users' && !value.trim().startsWith('='))
    return <UsersPicker value={value} onChange={onChange} testId={testId} />;
  return (
    <Input
      data-testid={testId}
      placeholder={rule.source === 'users' ? '=["user id"]' : t('crm.feelValue')}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      style={{ fontFamily: 'ui-monospace, monospace' }}
    />
  );
}

function RolePicker({ value, onChange, testId }: Omit<ValueProps, 'rule'> & { value: string }) {
  const { t } = useTranslation(BPMN);
  const localize = useLocalize();
  const roles = useQuery({ queryKey: ['designer', 'roles'], queryFn: roleApi.list });
  return (
    <Select
      showSearch={{ optionFilterProp: 'label' }}
      style={{ flex: 1, minWidth: 160 }}
      data-testid={testId}
      placeholder={t('crm.roleId')}
      value={value || undefined}
      onChange={onChange}
      options={(roles.data ?? []).map((role) => ({
        value: role.id,
        label: `${localize(role.label, role.id)} (${role.id})`,
      }))}
    />
  );
}

/** `"a, b"` or `"a b"`: the ids or usernames of a users rule. */
function usersOf(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

function UsersPicker({ value, onChange, testId }: Omit<ValueProps, 'rule'> & { value: string }) {
  const { t } = useTranslation(BPMN);
  const services = useDesignerFormServices(useLocale());
  const picked = usersOf(value);
  const [found, setFound] = useState<{ value: string; label: string }[]>([]);
  const [known, setKnown] = useState<Map<string, string>>(new Map());
  const search = (query: string) => {
    services
      .searchUsers(query)
      .then((choices) => setFound(choices.map(({ value: id, label }) => ({ value: id, label }))))
      .catch(() => setFound([]));
  };
  // the first page of people, once
  // biome-ignore lint/correctness/useExhaustiveDependencies: search is remade every render
  useEffect(() => search(''), [services]);
  // names for the ids already in the diagram (usernames typed by hand stay as they are)
  const pickedKey = picked.join(',');
  useEffect(() => {
    const ids = pickedKey.split(',').filter(Boolean);
    if (ids.length === 0) return;
    services
      .users(ids)
      .then((choices) => setKnown(new Map(choices.map((c) => [c.value, c.label]))))
      .catch(() => {});
  }, [pickedKey, services]);
  const options = [
    ...found,
    ...picked
      .filter((id) => !found.some((o) => o.value === id))
      .map((id) => ({ value: id, label: known.get(id) ?? id })),
  ];
  return (
    <Select
      mode="multiple"
      showSearch
      filterOption={false}
      onSearch={search}
      style={{ flex: 1, minWidth: 160 }}
      data-testid={testId}
      placeholder={t('crm.pickUsers')}
      value={picked}
      onChange={(ids: string[]) => onChange(ids.join(', '))}
      options={options}
    />
  );
}
