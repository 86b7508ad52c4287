// The runtime app's frame: log in, the menu of published modules, a module's list, the language switch,
// the phone layout, log out.
import { describe, expect, it } from 'vitest';
import { testAdmin } from '../support/api.ts';
import { PHONE_VIEWPORT, useWebServer } from '../support/browser.ts';

const web = useWebServer();

describe('the runtime web app', () => {
  it('sends a visitor to the login page and back to where they wanted to go', async () => {
    const page = await web.newPage();
    await page.goto('/m/customer');
    await page.waitForURL(/\/login\?next=%2Fm%2Fcustomer$/);
    await page.locator('input#username').fill('admin');
    await page.locator('input#password').fill('wrong-password1');
    await page.locator('button[type=submit]').click();
    await page.getByRole('alert').filter({ hasText: 'wrong username or password' }).waitFor();
    await page.locator('input#password').fill('Admin-passw0rd');
    await page.locator('button[type=submit]').click();
    await page.waitForURL(/\/m\/customer$/);
    await page.getByRole('columnheader', { name: 'Customer name' }).first().waitFor();
  });

  it('builds the menu from the published modules, in the chosen language', async () => {
    const page = await web.loggedInPage('/');
    const menu = page.getByTestId('app-menu');
    await menu.getByText('Customer', { exact: true }).waitFor();
    await menu.getByText('Opportunity', { exact: true }).waitFor();
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: '中文' }).click();
    await menu.getByText('客户', { exact: true }).waitFor();
    await menu.getByText('首页', { exact: true }).waitFor();
    // remembered for the next visit
    await page.reload();
    await page.getByTestId('app-menu').getByText('商机', { exact: true }).waitFor();
    await web.screenshot(page, 'home-zh');
  });

  it('shows my recent records, my tasks and notices on the home page', async () => {
    const { userId } = await testAdmin(web.handle);
    const [customer] = (
      await web.handle.workspace.records.list('customer', { userId }, { sort: 'name', limit: 1 })
    ).data;
    await web.handle.workspace.records.update('customer', customer.id, { city: 'Hangzhou' }, { userId });
    const page = await web.loggedInPage('/');
    await page.getByTestId('home-recent').getByText(String(customer.name)).waitFor();
    await page.getByTestId('home-tasks').getByText('Nothing waiting for you').waitFor();
    await page.getByTestId('home-notices').getByText('No notices').waitFor();
    await web.handle.workspace.notifications.send({
      recipients: [userId],
      kind: 'workflow',
      title: { en: 'Please review this customer', 'zh-CN': '请审核该客户' },
      link: { module: 'customer', recordId: customer.id },
    });
    await page.reload();
    await page.getByTestId('home-notices').getByText('Please review this customer').waitFor();
    await page.getByTestId('home-recent').getByText(String(customer.name)).click();
    await page.waitForURL(new RegExp(`/m/customer/${customer.id}$`));
  });

  it('serves the page for any app path, never for API paths or missing assets', async () => {
    const page = await web.newPage();
    const appPage = await page.request.get(`${web.url}/m/customer/123`);
    expect(appPage.status()).toBe(200);
    expect(await appPage.text()).toContain('<div id="root">');
    const api = await page.request.get(`${web.url}/api/no-such-thing`);
    expect(api.status()).toBe(401); // the API asks who is calling before it looks for the route
    expect(api.headers()['content-type']).toContain('application/problem+json');
    const asset = await page.request.get(`${web.url}/assets/missing-0000.js`);
    expect(asset.status()).toBe(404);
  });

  it('puts the menu in a drawer on a phone and logs out', async () => {
    const page = await web.loggedInPage('/', { viewport: PHONE_VIEWPORT });
    await page.getByTestId('menu-button').click();
    await page.getByTestId('app-menu').getByText('Contact', { exact: true }).click();
    await page.waitForURL(/\/m\/contact$/);
    await web.screenshot(page, 'phone-list');
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto('/');
    await page.waitForURL(/\/login/);
  });
});
