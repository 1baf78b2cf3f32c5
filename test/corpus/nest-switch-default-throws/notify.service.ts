import { Injectable } from '@nestjs/common';
import nodemailer from 'nodemailer';
import admin from 'firebase-admin';

@Injectable()
export class NotifyService {
  private readonly transport = nodemailer.createTransport({ host: 'smtp.example' });
  async email(userId: string) { await this.transport.sendMail({ to: `${userId}@example.com`, subject: 'Hello' }); }
  async push(userId: string) { await admin.messaging().send({ topic: userId, notification: { title: 'Hello' } }); }
}

/** The application's own in-memory audit trail: called first in a branch, it is not the branch's handler. */
@Injectable()
export class AuditLog {
  private readonly entries: string[] = [];
  record(name: string) { this.entries.push(`${new Date().toISOString()} ${name}`); }
}
