import { PassThrough, Readable } from 'node:stream';
import type { StoredRecord } from '@crm/engine';
import ExcelJS from 'exceljs';

/** A value as one spreadsheet cell: numbers stay numbers, money its amount, lists joined, objects as JSON. */
function xlsxCell(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value))
    return value.some((v) => typeof v === 'object') ? JSON.stringify(value) : value.join('; ');
  if (typeof value === 'object') {
    const { amount, currency } = value as { amount?: unknown; currency?: unknown };
    if (amount !== undefined && Object.keys(value).length <= 2) {
      const n = Number(amount);
      return Number.isFinite(n) && currency === undefined ? n : [amount, currency].filter(Boolean).join(' ');
    }
    return JSON.stringify(value);
  }
  // decimals come as text to keep their digits; a spreadsheet wants the number
  if (typeof value === 'string' && /^-?\d{1,15}(\.\d+)?$/.test(value)) return Number(value);
  return String(value);
}

/**
 * The records as an .xlsx workbook, written row by row to a stream while the pages are read (exceljs'
 * streaming writer: memory stays flat however many records). Cell values are never formulas.
 */
export function xlsxStream(
  sheetName: string,
  columns: string[],
  first: StoredRecord[],
  rest: AsyncGenerator<StoredRecord[]>,
): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((name) => ({ header: name, key: name, width: Math.max(12, name.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  const write = async () => {
    const add = (records: StoredRecord[]) => {
      for (const record of records) sheet.addRow(columns.map((column) => xlsxCell(record[column]))).commit();
    };
    add(first);
    for await (const page of rest) add(page);
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
