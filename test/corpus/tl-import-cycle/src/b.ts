import { trim } from './a.ts';
export function normalize(id: string) { return trim(id).toLowerCase(); }
