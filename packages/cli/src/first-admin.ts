import { EngineError, type FirstStart } from '@crm/engine';

/** The environment variables that name the first admin. */
export const ADMIN_ENVIRONMENT = { username: 'CRM_ADMIN_USERNAME', password: 'CRM_ADMIN_PASSWORD' } as const;

export function adminFromEnvironment(env: NodeJS.ProcessEnv = process.env): {
  username?: string;
  password?: string;
} {
  const username = env[ADMIN_ENVIRONMENT.username] || undefined;
  const password = env[ADMIN_ENVIRONMENT.password] || undefined;
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

/** What is wrong with the first admin's environment variables, named by variable, in English and Chinese. */
export function environmentProblems(error: EngineError): string {
  return error.problems
    .map((problem) => {
      const variable =
        problem.pointer === '/username' ? ADMIN_ENVIRONMENT.username : ADMIN_ENVIRONMENT.password;
      const zh = problem.messages?.['zh-CN'];
      return `${variable}: ${problem.message}${zh ? ` (${zh})` : ''}`;
    })
    .join('\n');
}

export function isInputError(error: unknown): error is EngineError {
  return error instanceof EngineError && error.kind === 'invalid-input';
}

/** What the server log says about the first admin on start, in Chinese and English. */
export function firstStartMessage(start: FirstStart, url: string, fromEnvironment: boolean): string[] {
  if (start.state === 'created') {
    return [
      `Created the administrator '${start.user.username}' from ${ADMIN_ENVIRONMENT.username} and ${ADMIN_ENVIRONMENT.password}.`,
      `已根据 ${ADMIN_ENVIRONMENT.username} 和 ${ADMIN_ENVIRONMENT.password} 创建管理员 '${start.user.username}'。`,
    ];
  }
  if (start.state === 'ready') {
    return fromEnvironment
      ? [
          `${ADMIN_ENVIRONMENT.username}/${ADMIN_ENVIRONMENT.password} are ignored: the workspace already has an administrator.`,
          `已忽略 ${ADMIN_ENVIRONMENT.username}/${ADMIN_ENVIRONMENT.password}：工作区已有管理员。`,
        ]
      : [];
  }
  const body = JSON.stringify({ secret: start.secret, username: 'admin', password: '<new password>' });
  const rule = '='.repeat(78);
  return [
    rule,
    'No administrator yet. Create the first one with this one-time setup secret:',
    '尚无管理员。请使用以下一次性设置密钥创建第一个管理员：',
    '',
    `    ${start.secret}`,
    '',
    `    curl -X POST ${url}/api/auth/setup -H 'content-type: application/json' \\`,
    `      -d '${body}'`,
    '',
    'The password needs 10 or more characters with letters and digits. The secret works once, and only',
    `until an administrator exists. Or set ${ADMIN_ENVIRONMENT.username} and ${ADMIN_ENVIRONMENT.password} and restart.`,
    '密码至少 10 个字符，须包含字母和数字。该密钥只能使用一次，创建管理员后即失效。',
    `也可以设置 ${ADMIN_ENVIRONMENT.username} 和 ${ADMIN_ENVIRONMENT.password} 后重启。`,
    rule,
  ];
}
