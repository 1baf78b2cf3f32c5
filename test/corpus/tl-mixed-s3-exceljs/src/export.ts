import ExcelJS from 'exceljs';
export async function toWorkbook(rows: Array<Record<string, string | number>>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Orders');
  sheet.columns = Object.keys(rows[0] ?? {}).map((key) => ({ header: key, key }));
  sheet.addRows(rows);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
