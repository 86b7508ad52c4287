// A plugin's browser side in the runtime app: with the USCC example plugin loaded, the record form
// uses its widget (upper-cases as you type, tells a wrong check character before saving), the server
// still refuses a wrong code on its field, and the record page and the list render the plugin's cell.
import { SYSTEM_ACTOR } from '@crm/engine';
import uscc from '@crm/plugin-uscc';
import { beforeAll, expect, it } from 'vitest';
import { useWebServer } from '../support/browser.ts';

const web = useWebServer({ data: 'none', plugins: [uscc] });

const LONG = 120_000;
const VALID = '91350100M000100Y43';

const company = {
  id: 'mod_e2e_company',
  name: 'company',
  label: { en: 'Company', 'zh-CN': '企业' },
  titleField: 'name',
  fields: [
    { id: 'c_name', name: 'name', type: 'text', label: { en: 'Name', 'zh-CN': '名称' }, required: true },
    { id: 'c_code', name: 'code', type: 'uscc', label: { en: 'Credit code', 'zh-CN': '信用代码' } },
  ],
  listView: { columns: ['name', 'code'] },
};

beforeAll(async () => {
  const { workspace } = web.handle;
  await workspace.definitions.saveDraft(company);
  await workspace.definitions.publish();
  await workspace.records.create(
    'company',
    { name: 'Fuzhou Port', code: '91110000600037341L' },
    SYSTEM_ACTOR,
  );
});

it(
  'fills a code with the plugin widget, shows a wrong check character before saving, lists the cell',
  async () => {
    const page = await web.loggedInPage('/m/company/new');
    await page.locator('#root_name').fill('Xiamen Port');
    const code = page.locator('.crm-uscc input#root_code');
    await code.pressSequentially('91350100m000100y44');
    // the widget upper-cases and checks the GB 32100-2015 check character as soon as there are 18
    await expect.poll(() => code.inputValue()).toBe('91350100M000100Y44');
    const alert = page.locator('.crm-uscc [role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      'is not a valid unified social credit code (the check character does not match)',
    );
    await web.screenshot(page, 'uscc-widget');

    // saving anyway: the server's own check refuses it on the field, nothing is written
    await page.getByRole('button', { name: 'Save' }).click();
    // the server's problem under the field, beside the widget's own
    await page
      .locator('.ant-form-item-explain')
      .filter({ hasText: 'the check character does not match' })
      .waitFor();
    expect(page.url()).toContain('/m/company/new');

    await code.fill('');
    await code.pressSequentially(VALID.toLowerCase());
    await expect.poll(() => alert.count()).toBe(0);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.url()).toMatch(/\/m\/company\/[0-9a-f-]{36}$/);
    // the record page reads the code through the plugin's display, as the list does
    const details = page.getByTestId('record-page');
    await details.getByText('91 350100 M000100Y4 3', { exact: true }).waitFor();
    expect(await details.getByText(VALID, { exact: true }).count()).toBe(0);
    const saved = await web.handle.workspace.records.list('company', SYSTEM_ACTOR, {
      filter: { field: 'name', op: 'eq', value: 'Xiamen Port' },
    });
    expect(saved.data.map((record) => record.code)).toEqual([VALID]);

    // the list renders the plugin's cell: the code in groups for reading
    await page.goto('/m/company');
    const cell = page.getByText('91 350100 M000100Y4 3');
    await cell.waitFor();
    expect(await page.getByText('91 110000 600037341 L').count()).toBe(1);
    await web.screenshot(page, 'uscc-cell');
  },
  LONG,
);

it(
  'shows the widget message in Chinese in a Chinese form',
  async () => {
    const page = await web.loggedInPage('/m/company/new', { locale: 'zh-CN' });
    const code = page.locator('.crm-uscc input#root_code');
    await code.pressSequentially('91350100M000100Y44');
    const alert = page.locator('.crm-uscc [role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('不是有效的统一社会信用代码（校验码不符）');
  },
  LONG,
);

it(
  "previews a module using the plugin's field type in the designer, with its widget",
  async () => {
    const page = await web.loggedInPage('/');
    await page.goto('/designer/');
    await page.getByTestId('module-company').click();
    await page.getByTestId('module-designer').waitFor();
    await page.getByRole('tab', { name: 'Preview' }).click();
    const preview = page.getByTestId('form-preview');
    const code = preview.locator('.crm-uscc input');
    await code.fill('');
    await code.pressSequentially('91350100M000100Y44');
    await preview.locator('.crm-uscc [role=alert]').getByText('the check character does not match').waitFor();
    await web.screenshot(page, 'designer-preview');
  },
  LONG,
);
