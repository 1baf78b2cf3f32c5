import { Worker, type Job } from 'bullmq';
import nodemailer from 'nodemailer';
import bcrypt from 'bcrypt';
const transport = nodemailer.createTransport({ host: 'smtp' });
async function sendMail(job: Job) { await transport.sendMail(job.data); }
async function hashPassword(job: Job) { return bcrypt.hash(job.data.password, 12); }
const queues = [
  { name: 'mail', processor: sendMail, concurrency: 50 },
  { name: 'hash', processor: hashPassword, concurrency: 2 },
];
export const workers = queues.map((q) => new Worker(q.name, q.processor, { concurrency: q.concurrency, connection: { host: 'redis' } }));
