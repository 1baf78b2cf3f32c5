import { createApp } from 'tasklane';
import { User } from './models/user.ts';
const app = createApp({ name: 'users' });
app.task('users.deactivateStale', async (days: number) => {
  const cutoff = new Date(Date.now() - days * 86_400_000);
  const result = await User.updateMany({ lastSeen: { $lt: cutoff } }, { active: false });
  return result.modifiedCount;
});
