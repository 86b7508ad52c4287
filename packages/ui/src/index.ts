// @crm/ui: what the runtime app and the designer share. The record form lives in ./form/.
export * from './api/index.ts';
export * from './auth/index.ts';
export * from './i18n/index.ts';
export * from './shell/index.ts';
