// The designer's Webhooks page in headless Chromium: a bad URL is named, a webhook is created with
// modules, events and a FEEL filter, its secret shown once; a matching write is delivered to a
// receiver on loopback, the delivery log shows it with its attempt, and a redelivery is queued.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SYSTEM_ACTOR } from '@crm/engine';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useWebServer } from '../support/browser.ts';
import { pick } from '../support/web-steps.ts';

// the receiver listens on loopback, which the server refuses to call unless allowed
const web = useWebServer({ outbound: { allowPrivate: true } });
const LONG = 120_000;

const received: string[] = [];
let receiver: Server | undefined;
let url = '';

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      received.push(text);
      res.writeHead(200).end('ok');
    });
  });
  const server = receiver;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});
afterAll(() => new Promise<void>((resolve) => receiver?.close(() => resolve())));

it(
  'creates a webhook with a filter, shows its secret once, and logs and redelivers a delivery',
  async () => {
    const page = await web.loggedInPage('/');
    await page.goto('/designer/webhooks');
    await page.getByTestId('webhooks-page').waitFor();
    await page.getByTestId('new-webhook').click();
    await page.getByTestId('webhook-url').fill('ftp://example.com');
    await page.getByTestId('save-webhook').click();
    await page.getByTestId('webhook-problems').getByText('/url').waitFor();

    await page.getByTestId('webhook-url').fill(url);
    await pick(page, page.getByTestId('webhook-modules'), 'Customer');
    await page.getByTestId('webhook-modules').locator('input').press('Escape');
    await page.getByTestId('webhook-filter').locator('.cm-content').fill('new.name != "skip me"');
    await page.getByTestId('save-webhook').click();
    const secret = page.getByTestId('webhook-secret');
    await secret.waitFor();
    expect((await secret.textContent())?.trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.getByTestId('webhook-list').getByText(url).waitFor();
    await web.screenshot(page, 'created');

    const { workspace } = web.handle;
    const [webhook] = await workspace.webhooks.list();
    expect(webhook).toMatchObject({ url, modules: ['customer'], events: ['created', 'updated'] });
    expect(webhook?.filter).toBe('new.name != "skip me"');
    await workspace.records.create('customer', { name: 'skip me' }, SYSTEM_ACTOR);
    await workspace.records.create('customer', { name: 'Hooked Ltd' }, SYSTEM_ACTOR);
    await workspace.webhooks.runDueWork();
    expect(received.map((text) => JSON.parse(text).data.record.name)).toEqual(['Hooked Ltd']);

    const log = page.getByTestId('webhook-deliveries');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await log.getByText('Delivered').waitFor();
    await log.getByText('record.created').waitFor();
    await page.getByTestId('redeliver').click();
    await log.getByText('Pending').waitFor();
    await web.screenshot(page, 'log');
  },
  LONG,
);
