import { Worker } from 'bullmq';
import Handlebars from 'handlebars';
import nodemailer from 'nodemailer';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const transport = nodemailer.createTransport({ host: 'smtp.example', port: 587 });

async function render(name: string, params: Record<string, unknown>): Promise<string> {
  const source = await readFile(join(__dirname, 'templates', `${name}.hbs`), 'utf8');
  const template = Handlebars.compile(source);
  return template(params);
}

new Worker('mail', async (job) => {
  const html = await render(job.data.template, job.data.params);
  await transport.sendMail({ to: job.data.to, subject: job.data.subject, html });
});
