import { Worker, type Job } from 'bullmq';
import PDFDocument from 'pdfkit';
export class InvoiceWorker {
  private readonly worker = new Worker('invoices', this.handle.bind(this), { connection: { host: 'redis' } });
  async handle(job: Job<{ lines: string[] }>): Promise<void> {
    const doc = new PDFDocument();
    for (const line of job.data.lines) doc.text(line);
    doc.end();
  }
}
