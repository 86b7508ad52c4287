import type { ValidateFunction } from 'ajv';
import { createAjv, problemsFromAjv } from '../compile/ajv.ts';
import { definitionDefs } from '../definitions/meta-schema.ts';
import { SUPPORTED_LOCALES } from '../definitions/types.ts';
import { EngineError, type Problem } from '../errors.ts';
import type { JsonSchema } from '../fields/registry.ts';
import { MAX_PASSWORD_LENGTH } from './passwords.ts';
import { TOKEN_SCOPES } from './types.ts';

// The shapes of what callers send the identity services (over HTTP or not): checked here, once.

const ajv = createAjv();

const uuid: JsonSchema = { type: 'string', format: 'uuid' };
const nullableUuid: JsonSchema = { anyOf: [uuid, { type: 'null' }] };
const localeText: JsonSchema = definitionDefs.localeText;
const nullableText = (maxLength: number): JsonSchema => ({
  anyOf: [{ type: 'string', maxLength }, { type: 'null' }],
});
const password: JsonSchema = { type: 'string', minLength: 1, maxLength: MAX_PASSWORD_LENGTH };
const roleId: JsonSchema = { type: 'string', minLength: 1, maxLength: 64 };
const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

/** Lowercase letters, digits and `. _ @ -`, starting with a letter or digit (usernames are stored lowercased). */
export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._@-]{0,63}$';

export const USER_FIELDS: Record<string, JsonSchema> = {
  displayName: { type: 'string', minLength: 1, maxLength: 100 },
  email: { anyOf: [{ type: 'string', format: 'email', maxLength: 254 }, { type: 'null' }] },
  phone: nullableText(40),
  locale: { anyOf: [{ enum: [...SUPPORTED_LOCALES] }, { type: 'null' }] },
  isAdmin: { type: 'boolean' },
  departmentId: nullableUuid,
  positionId: nullableUuid,
  managerId: nullableUuid,
};

const cidrList: JsonSchema = { type: 'array', maxItems: 500, items: { type: 'string', maxLength: 64 } };

export const SCHEMAS = {
  newDepartment: object(
    { name: localeText, parentId: nullableUuid, headId: nullableUuid, sort: { type: 'integer' } },
    ['name'],
  ),
  departmentChanges: object({ name: localeText, headId: nullableUuid, sort: { type: 'integer' } }),
  move: object({ parentId: nullableUuid }, ['parentId']),
  position: object({ name: localeText }, ['name']),
  newUser: object({ username: { type: 'string', pattern: USERNAME_PATTERN }, password, ...USER_FIELDS }, [
    'username',
    'displayName',
  ]),
  userChanges: object(USER_FIELDS),
  newPassword: object({ password }, ['password']),
  passwordChange: object({ currentPassword: password, newPassword: password }, [
    'currentPassword',
    'newPassword',
  ]),
  login: object({ username: { type: 'string', minLength: 1, maxLength: 254 }, password }, [
    'username',
    'password',
  ]),
  setup: object(
    {
      secret: { type: 'string', minLength: 1, maxLength: 200 },
      username: { type: 'string', pattern: USERNAME_PATTERN },
      password,
      displayName: USER_FIELDS.displayName,
    },
    ['secret', 'username', 'password'],
  ),
  newToken: object(
    {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      scopes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...TOKEN_SCOPES] } },
      expiresAt: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
    },
    ['name', 'scopes'],
  ),
  userRoleAssignment: object({ roleId, userId: uuid }, ['roleId', 'userId']),
  departmentRoleAssignment: object({ roleId, departmentId: uuid, includeChildren: { type: 'boolean' } }, [
    'roleId',
    'departmentId',
  ]),
  securitySettings: object({
    passwordPolicy: object({
      minLength: { type: 'integer', minimum: 8, maximum: 128 },
      letters: { type: 'boolean' },
      digits: { type: 'boolean' },
      uppercase: { type: 'boolean' },
      lowercase: { type: 'boolean' },
      symbols: { type: 'boolean' },
      notUsername: { type: 'boolean' },
    }),
    sessions: object({
      idleMinutes: { type: 'integer', minimum: 5, maximum: 43_200 },
      absoluteHours: { type: 'integer', minimum: 1, maximum: 8_760 },
    }),
    lockout: object({
      threshold: { type: 'integer', minimum: 1, maximum: 100 },
      baseSeconds: { type: 'integer', minimum: 1, maximum: 86_400 },
      maxSeconds: { type: 'integer', minimum: 1, maximum: 604_800 },
    }),
    ipAllowlist: object({
      workspace: cidrList,
      roles: { type: 'object', maxProperties: 500, additionalProperties: cidrList },
    }),
  }),
} satisfies Record<string, JsonSchema>;

export type InputShape = keyof typeof SCHEMAS;

const validators = new Map<InputShape, ValidateFunction>();

function validatorOf(shape: InputShape): ValidateFunction {
  let validate = validators.get(shape);
  if (!validate) {
    validate = ajv.compile(SCHEMAS[shape]);
    validators.set(shape, validate);
  }
  return validate;
}

export function invalidInput(problems: Problem[]): EngineError {
  const first = problems[0];
  const message = first ? `${first.pointer || 'the input'}: ${first.message}` : 'the input is not valid';
  return new EngineError('invalid-input', message, problems);
}

/** One problem at `pointer`, localized. */
export function inputProblem(
  pointer: string,
  code: string,
  messages: { en: string; 'zh-CN': string },
): Problem {
  return { pointer, code, message: messages.en, messages };
}

/** `input` as `T` when it has the shape, otherwise an `invalid-input` error naming each wrong part. */
export function checkInput<T>(shape: InputShape, input: unknown): T {
  const validate = validatorOf(shape);
  if (!validate(input)) {
    throw invalidInput(problemsFromAjv(validate.errors));
  }
  return input as T;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can be a row id at all (anything else would make PostgreSQL fail rather than find nothing). */
export function isUuid(id: unknown): id is string {
  return typeof id === 'string' && UUID.test(id);
}
