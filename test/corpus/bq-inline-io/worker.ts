import { Worker } from 'bullmq';
import nodemailer from 'nodemailer';
const transport = nodemailer.createTransport({ host: 'smtp.example.com' });
new Worker('emails', async (job) => {
  await transport.sendMail({ to: job.data.to, subject: job.data.subject, html: job.data.html });
}, { connection: { host: '127.0.0.1', port: 6379 }, concurrency: 50 });
