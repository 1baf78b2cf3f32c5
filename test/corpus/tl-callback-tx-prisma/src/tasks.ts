import { createApp } from 'tasklane';
import { prisma } from './db.ts';
const app = createApp({ name: 'wallet' });
app.task('wallet.transfer', (from: string, to: string, cents: number) => prisma.$transaction(async (tx) => {
  await tx.account.update({ where: { id: from }, data: { balance: { decrement: cents } } });
  await tx.account.update({ where: { id: to }, data: { balance: { increment: cents } } });
}));
