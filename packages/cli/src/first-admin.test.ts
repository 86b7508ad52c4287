import { EngineError } from '@crm/engine';
import { describe, expect, it } from 'vitest';
import { adminFromEnvironment, environmentProblems, firstStartMessage } from './first-admin.ts';

describe('the first admin on start', () => {
  it('reads both variables, empty ones as unset', () => {
    expect(adminFromEnvironment({ CRM_ADMIN_USERNAME: 'ops', CRM_ADMIN_PASSWORD: 'secret-123' })).toEqual({
      username: 'ops',
      password: 'secret-123',
    });
    expect(adminFromEnvironment({ CRM_ADMIN_USERNAME: '', CRM_ADMIN_PASSWORD: '' })).toEqual({});
  });

  it('prints the setup secret with the request that uses it, in Chinese and English', () => {
    const lines = firstStartMessage(
      { state: 'awaiting-setup', secret: 'S3CRET' },
      'http://localhost:3000',
      false,
    );
    const text = lines.join('\n');
    expect(text).toContain('    S3CRET');
    expect(text).toContain('curl -X POST http://localhost:3000/api/auth/setup');
    expect(text).toContain('"secret":"S3CRET"');
    expect(text).toContain('一次性设置密钥');
    expect(text).toContain('CRM_ADMIN_PASSWORD');
    expect(firstStartMessage({ state: 'ready' }, 'http://x', false)).toEqual([]);
    expect(firstStartMessage({ state: 'ready' }, 'http://x', true).join(' ')).toMatch(/ignored/);
  });

  it('names the variable a problem is in', () => {
    const error = new EngineError('invalid-input', 'bad', [
      {
        pointer: '/password',
        code: 'password.minLength',
        message: 'must be at least 10 characters',
        messages: { en: 'x', 'zh-CN': '至少 10 个字符' },
      },
    ]);
    expect(environmentProblems(error)).toBe(
      'CRM_ADMIN_PASSWORD: must be at least 10 characters (至少 10 个字符)',
    );
  });
});
