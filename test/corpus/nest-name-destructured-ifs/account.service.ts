import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';
import { execFileSync } from 'node:child_process';

@Injectable()
export class AccountService {
  constructor(private readonly prisma: PrismaClient) {}

  async scheduleDeletion(userId: string): Promise<void> {
    await this.prisma.user.update({ where: { id: userId }, data: { deleteAt: new Date(Date.now() + 30 * 86_400_000) } });
  }

  /** Removes the user's rows and, with a shell tool, their uploaded files. */
  async purge(userId: string): Promise<void> {
    await this.prisma.user.delete({ where: { id: userId } });
    execFileSync('rm', ['-rf', `/srv/uploads/${userId}`]);
  }
}
