import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { createHash } from 'node:crypto';

@Injectable()
export class MonitorService {
  constructor(private readonly db: Pool) {}

  async prune(): Promise<number> {
    const result = await this.db.query(`delete from checks where at < now() - interval '30 days'`);
    return result.rowCount ?? 0;
  }

  /** Fetches each page, then hashes its body 100,000 times. */
  async check(urls: string[]): Promise<string[]> {
    const bodies = await Promise.all(urls.map(async (url) => (await fetch(url)).text()));
    return bodies.map((body) => {
      let digest = body;
      for (let round = 0; round < 100_000; round++) digest = createHash('sha256').update(digest).digest('hex');
      return digest;
    });
  }
}
