export { probeDuration } from './media.ts';
export const VERSION = '1.0.0';
