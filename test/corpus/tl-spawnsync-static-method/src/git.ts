import { spawnSync } from 'node:child_process';
export class Git {
  static log(repo: string, n: number): string[] {
    const result = spawnSync('git', ['-C', repo, 'log', `-${n}`, '--format=%H %s'], { encoding: 'utf8' });
    return result.stdout.split('\n').filter(Boolean);
  }
}
