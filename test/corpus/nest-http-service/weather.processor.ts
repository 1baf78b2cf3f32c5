import { Processor, WorkerHost } from '@nestjs/bullmq';
import { HttpService } from '@nestjs/axios';
import { ConfigService } from '@nestjs/config';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { firstValueFrom } from 'rxjs';
@Processor('weather')
export class WeatherProcessor extends WorkerHost {
  private readonly logger = new Logger(WeatherProcessor.name);
  constructor(private readonly http: HttpService, private readonly config: ConfigService) { super(); }
  async process(job: Job<{ city: string }>) {
    const key = this.config.get<string>('WEATHER_KEY');
    this.logger.log(`fetching ${job.data.city}`);
    const response = await firstValueFrom(this.http.get(`https://api.example/weather?q=${job.data.city}&key=${key}`));
    return response.data;
  }
}
