import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { MailService } from './mail.service';

@Processor('work')
export class WorkProcessor {
  constructor(private readonly mailService: MailService) {}

  @Process('send_mail')
  async sendMail(job: Job<{ to: string }>): Promise<void> {
    await this.mailService.send(job.data.to);
  }
}
