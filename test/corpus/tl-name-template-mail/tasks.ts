import { createApp } from 'tasklane';
import nodemailer from 'nodemailer';
const PREFIX = 'mail';
const transport = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });
const app = createApp({ name: 'mail' });
export const send = app.task(`${PREFIX}.send`, async (to: string, subject: string, text: string) => {
  const info = await transport.sendMail({ from: 'noreply@example.com', to, subject, text });
  return info.messageId;
});
