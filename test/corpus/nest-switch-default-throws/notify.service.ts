import { Injectable } from '@nestjs/common';
import nodemailer from 'nodemailer';
import admin from 'firebase-admin';

@Injectable()
export class NotifyService {
  private readonly transport = nodemailer.createTransport({ host: 'smtp.example' });
  async email(userId: string) { await this.transport.sendMail({ to: `${userId}@example.com`, subject: 'Hello' }); }
  async push(userId: string) { await admin.messaging().send({ topic: userId, notification: { title: 'Hello' } }); }
}
