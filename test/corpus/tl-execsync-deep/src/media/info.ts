import { probeDuration } from './probe.ts';
export function mediaInfo(file: string) {
  return { file, seconds: probeDuration(file) };
}
