// Served by the crm-plugins Vite plugin (scripts/web-plugins.ts): imports the configured plugins' browser entries.
declare module 'virtual:crm-plugins' {}
