import { Injectable } from '@nestjs/common';
import Mailjet, { Client } from 'node-mailjet';

@Injectable()
export class MailService {
  // A placeholder: the client is made in the constructor.
  private client: Client | null = null;

  constructor() {
    this.client = Mailjet.apiConnect(process.env.MAILJET_KEY ?? '', process.env.MAILJET_SECRET ?? '');
  }

  async send(to: string): Promise<unknown> {
    return this.client!.post('send', { version: 'v3.1' }).request({ Messages: [{ To: [{ Email: to }] }] });
  }
}
