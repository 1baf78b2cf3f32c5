import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import nodemailer from 'nodemailer';
import { marked } from 'marked';
const transport = nodemailer.createTransport({ host: 'smtp' });
@Processor('mail')
export class MailProcessor {
  @Process('welcome')
  async welcome(job: Job<{ to: string }>) { await transport.sendMail({ to: job.data.to, subject: 'Welcome' }); }
  @Process()
  async render(job: Job<{ markdown: string }>) { return marked.parse(job.data.markdown); }
}
