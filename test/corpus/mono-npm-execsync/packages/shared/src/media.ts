import { execSync } from 'node:child_process';
export function probeDuration(file: string): number {
  return Number(execSync(`ffprobe -v error -show_entries format=duration -of csv=p=0 ${file}`).toString().trim());
}
