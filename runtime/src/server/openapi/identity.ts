import {
  IDENTITY_INPUT_SCHEMAS,
  type JsonSchema,
  LOGIN_RESULTS,
  MAX_HISTORY_PAGE,
  MAX_USER_PAGE,
  TOKEN_SCOPES,
} from '@crm/engine';
import { MAX_DIRECTORY_IDS } from '../org/directory.ts';
import { PROBLEM_CONTENT_TYPE } from '../problem.ts';
import { SESSION_COOKIE } from '../session-cookie.ts';
import { crmSchema, responseRef, schemaRef } from './names.ts';

// The authentication and organisation endpoints. Request bodies are the engine's own input
// schemas, so the document says exactly what the engine accepts.

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const ref = (name: string) => schemaRef(crmSchema(name));
const body = (name: string) => ({ required: true, content: json(ref(name)) });
const list = (name: string) => ({ type: 'array', items: ref(name) });
const uuid = { type: 'string', format: 'uuid' };
const nullableUuid = { type: ['string', 'null'], format: 'uuid' };
const timestamp = { type: 'string', format: 'date-time' };
const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' };
const authTags = ['authentication'];
const orgTags = ['organisation'];

const inputs = IDENTITY_INPUT_SCHEMAS as Record<string, JsonSchema>;

const user: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    username: { type: 'string' },
    displayName: { type: 'string' },
    email: { type: ['string', 'null'] },
    phone: { type: ['string', 'null'] },
    locale: { type: ['string', 'null'] },
    status: { enum: ['active', 'left'] },
    isAdmin: { type: 'boolean' },
    departmentId: nullableUuid,
    positionId: nullableUuid,
    managerId: nullableUuid,
    hasPassword: { type: 'boolean' },
    passwordChangedAt: nullableTimestamp,
    failedLogins: { type: 'integer' },
    lockedUntil: nullableTimestamp,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: [
    'id',
    'username',
    'displayName',
    'email',
    'phone',
    'locale',
    'status',
    'isAdmin',
    'departmentId',
    'positionId',
    'managerId',
    'hasPassword',
    'passwordChangedAt',
    'failedLogins',
    'lockedUntil',
    'createdAt',
    'updatedAt',
  ],
};

const tokenInfoProperties = {
  id: uuid,
  name: { type: 'string' },
  scopes: { type: 'array', items: { enum: [...TOKEN_SCOPES] } },
  expiresAt: nullableTimestamp,
  revokedAt: nullableTimestamp,
  lastUsedAt: nullableTimestamp,
  createdAt: timestamp,
};
const tokenInfoRequired = Object.keys(tokenInfoProperties);

const page = (item: string) => ({
  type: 'object',
  properties: { data: list(item), nextCursor: { type: ['string', 'null'] }, total: { type: 'integer' } },
  required: ['data', 'nextCursor'],
});

export const identitySchemas: Record<string, JsonSchema> = {
  [crmSchema('User')]: user,
  [crmSchema('UserPage')]: page('User'),
  [crmSchema('UserSummary')]: {
    type: 'object',
    properties: { id: uuid, username: { type: 'string' }, displayName: { type: 'string' } },
    required: ['id', 'username', 'displayName'],
  },
  [crmSchema('DirectoryUser')]: {
    type: 'object',
    properties: {
      id: uuid,
      username: { type: 'string' },
      displayName: { type: 'string' },
      departmentId: nullableUuid,
      active: { type: 'boolean', description: 'false for someone who left' },
    },
    required: ['id', 'username', 'displayName', 'departmentId', 'active'],
  },
  [crmSchema('DirectoryDepartment')]: {
    type: 'object',
    properties: {
      id: uuid,
      name: ref('LocaleText'),
      parentId: nullableUuid,
      path: { type: 'string', description: "The ids from the root down: '/<root id>/…/<id>/'" },
    },
    required: ['id', 'name', 'parentId', 'path'],
  },
  [crmSchema('Department')]: {
    type: 'object',
    properties: {
      id: uuid,
      name: ref('LocaleText'),
      parentId: nullableUuid,
      path: { type: 'string', description: "The ids from the root down: '/<root id>/…/<id>/'" },
      headId: nullableUuid,
      sort: { type: 'integer' },
      archived: { type: 'boolean' },
      createdAt: timestamp,
      updatedAt: timestamp,
    },
    required: ['id', 'name', 'parentId', 'path', 'headId', 'sort', 'archived', 'createdAt', 'updatedAt'],
  },
  [crmSchema('Position')]: {
    type: 'object',
    properties: { id: uuid, name: ref('LocaleText'), createdAt: timestamp },
    required: ['id', 'name', 'createdAt'],
  },
  [crmSchema('RoleAssignment')]: {
    oneOf: [
      {
        type: 'object',
        properties: { roleId: { type: 'string' }, userId: uuid },
        required: ['roleId', 'userId'],
      },
      {
        type: 'object',
        properties: { roleId: { type: 'string' }, departmentId: uuid, includeChildren: { type: 'boolean' } },
        required: ['roleId', 'departmentId', 'includeChildren'],
      },
    ],
  },
  [crmSchema('Session')]: {
    type: 'object',
    description: `Who logged in; the session id itself is only in the ${SESSION_COOKIE} cookie`,
    properties: {
      user: ref('User'),
      roles: { type: 'array', items: { type: 'string' } },
      via: { const: 'session' },
      csrfToken: {
        type: 'string',
        description: 'Send as X-CSRF-Token with every POST, PUT, PATCH and DELETE',
      },
      expiresAt: { ...timestamp, description: 'The latest the session ends (it ends earlier when idle)' },
    },
    required: ['user', 'roles', 'via', 'csrfToken', 'expiresAt'],
  },
  [crmSchema('Me')]: {
    type: 'object',
    properties: {
      user: ref('User'),
      roles: { type: 'array', items: { type: 'string' } },
      via: { enum: ['session', 'token'] },
      csrfToken: { type: 'string', description: 'For sessions' },
      scopes: { type: 'array', items: { enum: [...TOKEN_SCOPES] }, description: 'For tokens' },
    },
    required: ['user', 'roles', 'via'],
  },
  [crmSchema('ApiToken')]: { type: 'object', properties: tokenInfoProperties, required: tokenInfoRequired },
  [crmSchema('CreatedApiToken')]: {
    type: 'object',
    properties: {
      ...tokenInfoProperties,
      token: { type: 'string', description: 'The secret (crm_…): shown this once, never again' },
    },
    required: [...tokenInfoRequired, 'token'],
  },
  [crmSchema('LoginHistoryEntry')]: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      at: timestamp,
      userId: nullableUuid,
      username: { type: 'string' },
      ip: { type: ['string', 'null'] },
      userAgent: { type: ['string', 'null'] },
      result: { enum: [...LOGIN_RESULTS] },
    },
    required: ['id', 'at', 'userId', 'username', 'ip', 'userAgent', 'result'],
  },
  [crmSchema('LoginHistoryPage')]: page('LoginHistoryEntry'),
  [crmSchema('SecuritySettings')]: inputs.securitySettings,
  [crmSchema('Credentials')]: inputs.login,
  [crmSchema('FirstAdmin')]: inputs.setup,
  [crmSchema('PasswordChange')]: inputs.passwordChange,
  [crmSchema('NewPassword')]: inputs.newPassword,
  [crmSchema('NewApiToken')]: inputs.newToken,
  [crmSchema('NewUser')]: inputs.newUser,
  [crmSchema('UserChanges')]: inputs.userChanges,
  [crmSchema('NewDepartment')]: inputs.newDepartment,
  [crmSchema('DepartmentChanges')]: inputs.departmentChanges,
  [crmSchema('DepartmentMove')]: inputs.move,
  [crmSchema('PositionName')]: inputs.position,
  [crmSchema('NewRoleAssignment')]: { oneOf: [inputs.userRoleAssignment, inputs.departmentRoleAssignment] },
};

function problemResponse(description: string): JsonSchema {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem') } } };
}

export const identityResponses: Record<string, JsonSchema> = {
  Unauthorized: problemResponse(
    'No valid session cookie or bearer token (or it expired, was revoked, or its user left)',
  ),
  Forbidden: problemResponse(
    'Authenticated, but not allowed: not an admin, a token without the scope, a cookie write without its CSRF token, or an address no allowlist admits',
  ),
  TooManyAttempts: problemResponse(
    'The account is locked after failed logins; Retry-After tells for how long',
  ),
};

export const securitySchemes: Record<string, JsonSchema> = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'Set by POST /api/auth/login. Writes also need the X-CSRF-Token header the login returned.',
  },
  token: {
    type: 'http',
    scheme: 'bearer',
    description: `A personal API token (crm_…) from POST /api/auth/tokens; scopes: ${TOKEN_SCOPES.join(', ')}`,
  },
};

/** Operations anyone may call, without credentials. */
export const PUBLIC_OPERATIONS: [path: string, method: string][] = [
  ['/api/health', 'get'],
  ['/api/auth/login', 'post'],
  ['/api/auth/setup', 'post'],
];

const bodyProblems = {
  400: responseRef('BadRequest'),
  413: responseRef('PayloadTooLarge'),
  415: responseRef('UnsupportedMediaType'),
  422: responseRef('UnprocessableContent'),
};
const guarded = { 401: responseRef('Unauthorized'), 403: responseRef('Forbidden') };
const idParameter = (description: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description,
  schema: uuid,
});
const query = (name: string, schema: JsonSchema, description?: string) => ({
  name,
  in: 'query',
  schema,
  ...(description ? { description } : {}),
});
const noContent = { description: 'Done' };

function orgOperation(operationId: string, summary: string, responses: JsonSchema, extra: JsonSchema = {}) {
  return { tags: orgTags, operationId, summary, ...extra, responses: { ...responses, ...guarded } };
}

function directoryOperation(operationId: string, summary: string, item: string, parameters: JsonSchema[]) {
  const data = { type: 'object', properties: { data: list(item) }, required: ['data'] };
  return {
    tags: orgTags,
    operationId,
    summary,
    parameters,
    responses: { 200: ok('Matches', data), 400: responseRef('BadRequest'), 401: responseRef('Unauthorized') },
  };
}

export const identityPaths: Record<string, JsonSchema> = {
  '/api/auth/login': {
    post: {
      tags: authTags,
      operationId: 'auth.login',
      summary: 'Log in: a new session cookie (HttpOnly, SameSite=Lax) and its CSRF token',
      requestBody: body('Credentials'),
      responses: {
        200: ok('Logged in', ref('Session')),
        ...bodyProblems,
        401: problemResponse('Wrong username or password'),
        403: problemResponse('Logins from this address are not allowed'),
        429: responseRef('TooManyAttempts'),
      },
    },
  },
  '/api/auth/setup': {
    post: {
      tags: authTags,
      operationId: 'auth.setup',
      summary: 'Create the first admin with the one-time secret from the server log (then log in)',
      requestBody: body('FirstAdmin'),
      responses: {
        201: ok('The first admin, logged in', ref('Session')),
        ...bodyProblems,
        403: problemResponse('Not the secret the server printed'),
        409: problemResponse('The workspace already has users'),
      },
    },
  },
  '/api/auth/logout': {
    post: { tags: authTags, operationId: 'auth.logout', responses: { 204: noContent, ...guarded } },
  },
  '/api/auth/logout-all': {
    post: {
      tags: authTags,
      operationId: 'auth.logoutEverywhere',
      summary: 'End every session of the current user',
      responses: {
        200: ok('Ended', {
          type: 'object',
          properties: { sessionsEnded: { type: 'integer' } },
          required: ['sessionsEnded'],
        }),
        ...guarded,
      },
    },
  },
  '/api/auth/me': {
    get: {
      tags: authTags,
      operationId: 'auth.me',
      responses: { 200: ok('Who you are', ref('Me')), ...guarded },
    },
  },
  '/api/auth/password': {
    post: {
      tags: authTags,
      operationId: 'auth.changePassword',
      summary: 'Change your own password (your other sessions end)',
      requestBody: body('PasswordChange'),
      responses: {
        204: noContent,
        ...bodyProblems,
        ...guarded,
        409: problemResponse('Locked after failed attempts'),
      },
    },
  },
  '/api/auth/tokens': {
    get: {
      tags: authTags,
      operationId: 'auth.listTokens',
      responses: { 200: ok('Your tokens, newest first', list('ApiToken')), ...guarded },
    },
    post: {
      tags: authTags,
      operationId: 'auth.createToken',
      requestBody: body('NewApiToken'),
      responses: {
        201: ok('The token, with its secret shown once', ref('CreatedApiToken')),
        ...bodyProblems,
        ...guarded,
      },
    },
  },
  '/api/auth/tokens/{id}': {
    parameters: [idParameter('Token id')],
    delete: {
      tags: authTags,
      operationId: 'auth.revokeToken',
      responses: { 204: noContent, ...guarded, 404: responseRef('NotFound') },
    },
  },
  '/api/org/directory/users': {
    get: directoryOperation(
      'org.directoryUsers',
      'People to pick (active ones matching q) or to name (by ids, including those who left); for every user',
      'DirectoryUser',
      [
        query('q', { type: 'string' }, 'Part of the username, display name or email'),
        query('ids', { type: 'string' }, `Comma-separated user ids (at most ${MAX_DIRECTORY_IDS})`),
        query('limit', { type: 'integer', minimum: 1, maximum: MAX_DIRECTORY_IDS }),
      ],
    ),
  },
  '/api/org/directory/departments': {
    get: directoryOperation(
      'org.directoryDepartments',
      'Departments to pick (matching q in any language) or to name (by ids); for every user',
      'DirectoryDepartment',
      [
        query('q', { type: 'string' }, 'Part of the name'),
        query('ids', { type: 'string' }, `Comma-separated department ids (at most ${MAX_DIRECTORY_IDS})`),
      ],
    ),
  },
  '/api/org/departments': {
    get: orgOperation(
      'org.listDepartments',
      'The department tree, parents before children',
      { 200: ok('Departments', list('Department')) },
      { parameters: [query('includeArchived', { type: 'boolean' })] },
    ),
    post: orgOperation(
      'org.createDepartment',
      'Create a department (under parentId, or at the top)',
      { 201: ok('Created', ref('Department')), ...bodyProblems },
      { requestBody: body('NewDepartment') },
    ),
  },
  '/api/org/departments/{id}': {
    parameters: [idParameter('Department id')],
    get: orgOperation('org.getDepartment', 'One department', {
      200: ok('The department', ref('Department')),
      404: responseRef('NotFound'),
    }),
    patch: orgOperation(
      'org.updateDepartment',
      'Rename, set the head or the order',
      { 200: ok('Changed', ref('Department')), ...bodyProblems, 404: responseRef('NotFound') },
      { requestBody: body('DepartmentChanges') },
    ),
  },
  '/api/org/departments/{id}/subtree': {
    parameters: [idParameter('Department id')],
    get: orgOperation('org.departmentSubtree', 'The department and all below it', {
      200: ok('Departments', list('Department')),
      404: responseRef('NotFound'),
    }),
  },
  '/api/org/departments/{id}/move': {
    parameters: [idParameter('Department id')],
    post: orgOperation(
      'org.moveDepartment',
      'Move it (with everything below) under another department, or to the top with null',
      { 200: ok('Moved', ref('Department')), ...bodyProblems, 404: responseRef('NotFound') },
      { requestBody: body('DepartmentMove') },
    ),
  },
  '/api/org/departments/{id}/archive': {
    parameters: [idParameter('Department id')],
    post: orgOperation('org.archiveDepartment', 'Archive an empty department', {
      200: ok('Archived', ref('Department')),
      404: responseRef('NotFound'),
      409: responseRef('Conflict'),
    }),
  },
  '/api/org/departments/{id}/restore': {
    parameters: [idParameter('Department id')],
    post: orgOperation('org.restoreDepartment', 'Bring an archived department back', {
      200: ok('Restored', ref('Department')),
      404: responseRef('NotFound'),
      409: responseRef('Conflict'),
    }),
  },
  '/api/org/positions': {
    get: orgOperation('org.listPositions', 'Positions', { 200: ok('Positions', list('Position')) }),
    post: orgOperation(
      'org.createPosition',
      'Create a position',
      { 201: ok('Created', ref('Position')), ...bodyProblems },
      { requestBody: body('PositionName') },
    ),
  },
  '/api/org/positions/{id}': {
    parameters: [idParameter('Position id')],
    get: orgOperation('org.getPosition', 'One position', {
      200: ok('The position', ref('Position')),
      404: responseRef('NotFound'),
    }),
    patch: orgOperation(
      'org.renamePosition',
      'Rename a position',
      { 200: ok('Renamed', ref('Position')), ...bodyProblems, 404: responseRef('NotFound') },
      { requestBody: body('PositionName') },
    ),
    delete: orgOperation('org.deletePosition', 'Delete a position nobody holds', {
      204: noContent,
      404: responseRef('NotFound'),
      409: responseRef('Conflict'),
    }),
  },
  '/api/org/users': {
    get: orgOperation(
      'org.listUsers',
      'People by username, a page at a time',
      { 200: ok('A page of users', ref('UserPage')), 400: responseRef('BadRequest') },
      {
        parameters: [
          query('department', uuid, 'Only the people of this department'),
          query('subDepartments', { type: 'boolean' }, 'With department: also those below it'),
          query('status', { enum: ['active', 'left'] }),
          query('search', { type: 'string' }, 'Part of the username, display name or email'),
          query('limit', { type: 'integer', minimum: 1, maximum: MAX_USER_PAGE }),
          query('cursor', { type: 'string' }),
          query('count', { type: 'boolean' }),
        ],
      },
    ),
    post: orgOperation(
      'org.createUser',
      'Create a user',
      { 201: ok('Created', ref('User')), ...bodyProblems, 409: responseRef('Conflict') },
      { requestBody: body('NewUser') },
    ),
  },
  '/api/org/users/{id}': {
    parameters: [idParameter('User id')],
    get: orgOperation('org.getUser', 'One user', {
      200: ok('The user', ref('User')),
      404: responseRef('NotFound'),
    }),
    patch: orgOperation(
      'org.updateUser',
      'Change a user (a reporting cycle is refused)',
      {
        200: ok('Changed', ref('User')),
        ...bodyProblems,
        404: responseRef('NotFound'),
        409: responseRef('Conflict'),
      },
      { requestBody: body('UserChanges') },
    ),
  },
  '/api/org/users/{id}/leave': {
    parameters: [idParameter('User id')],
    post: orgOperation('org.userLeaves', 'Mark as left: no login, sessions and tokens end', {
      200: ok('Left', ref('User')),
      404: responseRef('NotFound'),
      409: responseRef('Conflict'),
    }),
  },
  '/api/org/users/{id}/reinstate': {
    parameters: [idParameter('User id')],
    post: orgOperation('org.reinstateUser', 'Take back someone who left', {
      200: ok('Active again', ref('User')),
      404: responseRef('NotFound'),
    }),
  },
  '/api/org/users/{id}/password': {
    parameters: [idParameter('User id')],
    post: orgOperation(
      'org.setPassword',
      "Set a user's password (their sessions end, a lockout lifts)",
      { 204: noContent, ...bodyProblems, 404: responseRef('NotFound') },
      { requestBody: body('NewPassword') },
    ),
  },
  '/api/org/users/{id}/unlock': {
    parameters: [idParameter('User id')],
    post: orgOperation('org.unlockUser', 'Lift a lockout', {
      200: ok('Unlocked', ref('User')),
      404: responseRef('NotFound'),
    }),
  },
  '/api/org/users/{id}/roles': {
    parameters: [idParameter('User id')],
    get: orgOperation('org.userRoles', "The user's roles: their own and their departments'", {
      200: ok('Role ids', { type: 'array', items: { type: 'string' } }),
      404: responseRef('NotFound'),
    }),
  },
  '/api/org/users/{id}/managers': {
    parameters: [idParameter('User id')],
    get: orgOperation(
      'org.managerChain',
      'The active managers above the user, nearest first',
      { 200: ok('Managers', list('UserSummary')), 404: responseRef('NotFound') },
      { parameters: [query('levels', { type: 'integer', minimum: 1, maximum: 100, default: 1 })] },
    ),
  },
  '/api/org/role-assignments': {
    get: orgOperation(
      'org.listRoleAssignments',
      'Who holds which role',
      { 200: ok('Assignments', list('RoleAssignment')) },
      {
        parameters: [query('userId', uuid), query('departmentId', uuid), query('roleId', { type: 'string' })],
      },
    ),
    post: orgOperation(
      'org.assignRole',
      'Give a role to a user, or to a department (and below it unless includeChildren is false)',
      { 201: ok('Assigned', ref('RoleAssignment')), ...bodyProblems },
      { requestBody: body('NewRoleAssignment') },
    ),
    delete: orgOperation(
      'org.unassignRole',
      'Take a role back (named by roleId and userId or departmentId)',
      { 204: noContent, 404: responseRef('NotFound'), 422: responseRef('UnprocessableContent') },
      {
        parameters: [query('roleId', { type: 'string' }), query('userId', uuid), query('departmentId', uuid)],
      },
    ),
  },
  '/api/org/login-history': {
    get: orgOperation(
      'org.loginHistory',
      'Every login attempt, newest first',
      { 200: ok('A page of attempts', ref('LoginHistoryPage')), 400: responseRef('BadRequest') },
      {
        parameters: [
          query('userId', uuid),
          query('username', { type: 'string' }),
          query('result', { enum: [...LOGIN_RESULTS] }),
          query('from', timestamp, 'From this time on (inclusive)'),
          query('to', timestamp, 'Before this time'),
          query('limit', { type: 'integer', minimum: 1, maximum: MAX_HISTORY_PAGE }),
          query('cursor', { type: 'string' }),
          query('count', { type: 'boolean' }),
        ],
      },
    ),
  },
  '/api/org/security': {
    get: orgOperation('org.securitySettings', 'Password policy, sessions, lockout, IP allowlists', {
      200: ok('The settings', ref('SecuritySettings')),
    }),
    patch: orgOperation(
      'org.updateSecuritySettings',
      'Change some settings (a workspace allowlist that would lock you out is refused)',
      { 200: ok('The settings now', ref('SecuritySettings')), ...bodyProblems },
      { requestBody: body('SecuritySettings') },
    ),
  },
};
