import { createApp } from 'tasklane';
import { prisma } from './db.ts';
const app = createApp({ name: 'orders' });
app.task('orders.expire', async () => {
  const { count } = await prisma.order.updateMany({ where: { status: 'PENDING', createdAt: { lt: new Date(Date.now() - 3_600_000) } }, data: { status: 'EXPIRED' } });
  return count;
});
