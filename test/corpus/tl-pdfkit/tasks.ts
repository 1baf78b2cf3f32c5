import { createApp } from 'tasklane';
import PDFDocument from 'pdfkit';
const app = createApp({ name: 'docs' });
app.task('docs.invoicePdf', (lines: string[]) => new Promise<Buffer>((resolve) => {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  doc.on('end', () => resolve(Buffer.concat(chunks)));
  doc.fontSize(12);
  lines.forEach((line, i) => doc.text(line, 50, 50 + i * 16));
  doc.end();
}));
