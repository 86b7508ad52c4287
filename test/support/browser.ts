// Browser tests: one headless Chromium and one real server (fresh PostgreSQL database, the demo package
// with its sample records, an admin) per test file; each test gets a fresh context. A user signs in through
// the login page once per file; their later pages start with that session's cookie (no local storage).
//
//   const web = useWebServer();                 // in the file's top level: starts both in beforeAll
//   const page = await web.loggedInPage();      // a new page, signed in as the admin, at `/`
//   await web.screenshot(page, 'list');         // test/artifacts/<file>-list.png
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { demoPackages, importConfiguration } from '@crm/cli';
import { Engine, type EnginePlugin, type OutboundPolicy, openPostgres } from '@crm/engine';
import { createApp, type RunningServer, serve } from '@crm/runtime';
import { type Browser, type BrowserContext, type Cookie, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { TEST_ADMIN, testAdmin } from './api.ts';
import { type EngineHandle, openTestEngine } from './engines.ts';
import { templateDatabase } from './postgres.ts';
import { recordMessages } from './web-steps.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const ARTIFACTS_DIR = join(import.meta.dirname, '..', 'artifacts');

/** Flags from STACK-NOTES: without the networking ones Chromium keeps trying to reach the internet. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The signed-in app's frame: the menu on a desktop, the menu button on a phone (either one proves it). */
const appShell = (page: Page) => page.getByTestId('app-menu').or(page.getByTestId('menu-button')).first();

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** Headless Chromium; Playwright gives each launch a fresh user-data dir of its own and removes it on close. */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  return { browser, close: () => browser.close() };
}

export const PHONE_VIEWPORT = { width: 390, height: 844 };
export const DESKTOP_VIEWPORT = { width: 1280, height: 800 };

export interface WebServer {
  url: string;
  handle: EngineHandle;
  browser: Browser;
  /** A fresh context (no cookies) and page; English unless told. */
  newPage(options?: { locale?: 'en' | 'zh-CN'; viewport?: { width: number; height: number } }): Promise<Page>;
  /** A new page signed in as the test admin, showing `path`. */
  loggedInPage(
    path?: string,
    options?: { locale?: 'en' | 'zh-CN'; viewport?: { width: number; height: number } },
  ): Promise<Page>;
  /**
   * A new page signed in as `user`, showing `path`: through the login page the first time in the file (and
   * whenever the session has ended since, e.g. a test logged out), later with the session's cookie.
   */
  signedInPage(
    user: { username: string; password: string },
    path?: string,
    options?: { locale?: 'en' | 'zh-CN'; viewport?: { width: number; height: number } },
  ): Promise<Page>;
  /** Saves a full-page screenshot as test/artifacts/<test file>-<name>.png and returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
}

/** The browser tests' own small app package (customer, contact, opportunity), independent of examples/. */
export const WEB_FIXTURE_PACKAGE = join(import.meta.dirname, '..', 'fixtures', 'web-demo');

/** The fixture package, or the example packages as `crm start --demo` loads them, with their records. */
function importer(which: 'fixture' | 'examples') {
  return async (url: string): Promise<void> => {
    const engine = await Engine.open({ db: await openPostgres(url) });
    try {
      const workspace = await engine.workspace('default');
      const dirs = which === 'fixture' ? [WEB_FIXTURE_PACKAGE] : await demoPackages();
      for (const dir of dirs) await importConfiguration(workspace, dir, { seed: true });
    } finally {
      await engine.close();
    }
  };
}

export interface WebServerOptions {
  /**
   * The starting data: the browser tests' fixture package with its records (default), the example
   * packages as `crm start --demo` loads them, or nothing.
   */
  data?: 'fixture' | 'examples' | 'none';
  /**
   * Plugins the server loads. Their browser entries are in the web build when test/fixtures/web-plugins
   * lists them (the browser tests build with that folder's crm.config.json).
   */
  plugins?: EnginePlugin[];
  /** Where webhooks and actions may call (a receiver on loopback must be allowed here). */
  outbound?: OutboundPolicy;
}

/**
 * Declares, for the calling test file, a real server (createApp over a fresh PostgreSQL database) and a
 * shared Chromium, started in beforeAll and stopped in afterAll.
 */
export function useWebServer(options: WebServerOptions = {}): WebServer {
  const testFile = basename(expect.getState().testPath ?? 'e2e', '.test.ts');
  let handle: (EngineHandle & { close(): Promise<void> }) | undefined;
  let server: RunningServer | undefined;
  let launched: LaunchedBrowser | undefined;
  const contexts: BrowserContext[] = [];
  // each user's session cookie from their sign-in through the login page
  const sessions = new Map<string, Cookie[]>();

  beforeAll(async () => {
    // the example packages' sample data is a few thousand records: imported once per run into a
    // template database that each test file copies
    const data = options.data ?? 'fixture';
    const template = data === 'none' ? undefined : await templateDatabase(`web_${data}`, importer(data));
    const [opened, chromiumLaunched] = await Promise.all([
      openTestEngine('postgres', 'web', { template, plugins: options.plugins, outbound: options.outbound }),
      launchChromium(),
    ]);
    handle = opened;
    launched = chromiumLaunched;
    await testAdmin(handle);
    server = await serve(createApp({ engine: handle.engine, workspace: handle.workspace }), 0, '127.0.0.1');
    // the examples' import took over 300 s once on a machine loaded far beyond CI's; a hook that ends
    // early fails the whole file
  }, 600_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await launched?.close();
    await server?.close();
    await handle?.close();
  });

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started: use it inside a test`);
    return value;
  };

  const web: WebServer = {
    get url() {
      return need(server, 'the server').url;
    },
    get handle() {
      return need(handle, 'the engine');
    },
    get browser() {
      return need(launched, 'the browser').browser;
    },
    async newPage({ locale = 'en', viewport = DESKTOP_VIEWPORT } = {}) {
      const context = await web.browser.newContext({ baseURL: web.url, locale, viewport });
      // the app remembers the language in localStorage; start from the context's locale
      await context.addInitScript((wanted: string) => {
        if (!localStorage.getItem('crm.locale')) localStorage.setItem('crm.locale', wanted);
      }, locale);
      // toasts fade after 3 s: the page keeps what they said for messageShown (web-steps.ts)
      await context.addInitScript(recordMessages);
      // a step that cannot happen fails with what it waited for, before the test's own timeout (a loaded
      // 2-core machine running the node tests beside the browser can take tens of seconds for one page)
      context.setDefaultTimeout(45_000);
      contexts.push(context);
      return context.newPage();
    },
    loggedInPage(path = '/', pageOptions = {}) {
      return web.signedInPage(TEST_ADMIN, path, pageOptions);
    },
    async signedInPage(user, path = '/', pageOptions = {}) {
      const page = await web.newPage(pageOptions);
      const login = page.locator('input#username');
      const cookies = sessions.get(user.username);
      if (cookies) {
        await page.context().addCookies(cookies);
        await page.goto(path);
        // signed in, or sent to the login page (at /login?next=path) by a session that has ended
        await appShell(page).or(login).first().waitFor();
        if (!(await login.isVisible())) return page;
      } else {
        await page.goto(`/login?next=${encodeURIComponent(path)}`);
      }
      await login.fill(user.username);
      await page.locator('input#password').fill(user.password);
      await page.locator('button[type=submit]').click();
      await appShell(page).waitFor();
      sessions.set(user.username, await page.context().cookies());
      return page;
    },
    async screenshot(page, name) {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const path = join(ARTIFACTS_DIR, `${testFile}-${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
  };
  return web;
}
