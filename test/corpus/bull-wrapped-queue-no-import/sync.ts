import { queues } from '@acme/platform';
import { Pool } from 'pg';

const db = new Pool();

// The queue comes from the platform package, a wrapper of Bull whose source is not in this workspace.
export class AccountSync {
  private static cached?: queues.PlatformQueue<{ accountId: string }>;

  static get queue() {
    if (!AccountSync.cached) AccountSync.cached = new queues.PlatformQueue('account-sync');
    return AccountSync.cached;
  }

  static start() {
    AccountSync.queue.process(2, async (job) => {
      await db.query('update accounts set synced_at = now() where id = $1', [job.data.accountId]);
    });
  }
}
