import PDFDocument from 'pdfkit';
import { createWriteStream } from 'node:fs';
export default async (job: { data: { out: string; title: string } }) => {
  const doc = new PDFDocument();
  doc.pipe(createWriteStream(job.data.out));
  doc.fontSize(24).text(job.data.title);
  doc.end();
};
