import { execSync } from 'node:child_process';
export function probeDuration(file: string): number {
  const out = execSync(`ffprobe -v error -show_entries format=duration -of csv=p=0 ${file}`).toString();
  return Number(out.trim());
}
