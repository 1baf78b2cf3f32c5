// File names of the embedded broker: everything the broker needs to order, lease and redeliver a
// message is in its name, so a directory listing (no reads, no stats) is enough to decide.
//   ready/<base>.<deliveries so far>
//   delayed/<eta>-<base>.<deliveries so far>
//   reserved/<base>.<deliveries>.<owner>.<lease deadline>   (owner: see file-owner.ts)
// <base> = <priority key>-<time>-<sequence>-<tag>: sorts by priority (higher first), then age.

const PRIORITY_MAX = 255;

export function baseName(priority: number, time: number, seq: number, tag: string): string {
  const p = Math.min(PRIORITY_MAX, Math.max(0, Math.round(priority)));
  return `${(PRIORITY_MAX - p).toString(16).padStart(2, '0')}-${String(time).padStart(13, '0')}-${seq.toString(36).padStart(8, '0')}-${tag}`;
}

export const readyName = (base: string, deliveries: number) => `${base}.${deliveries}`;
export const delayedName = (eta: number, base: string, deliveries: number) => `${String(Math.round(eta)).padStart(13, '0')}-${readyName(base, deliveries)}`;
export const reservedName = (base: string, deliveries: number, owner: string, deadline: number) => `${base}.${deliveries}.${owner}.${Math.round(deadline)}`;

export function parseReady(name: string): { base: string; deliveries: number } | undefined {
  const match = /^([^.]+)\.(\d+)$/.exec(name);
  return match ? { base: match[1], deliveries: Number(match[2]) } : undefined;
}

export function parseDelayed(name: string): { eta: number; ready: string } | undefined {
  const match = /^(\d{13})-(.+)$/.exec(name);
  return match && parseReady(match[2]) ? { eta: Number(match[1]), ready: match[2] } : undefined;
}

export function parseReserved(name: string): { base: string; deliveries: number; owner: string; deadline: number } | undefined {
  const match = /^([^.]+)\.(\d+)\.(\d+(?:-\d+)?)\.(\d+)$/.exec(name);
  return match ? { base: match[1], deliveries: Number(match[2]), owner: match[3], deadline: Number(match[4]) } : undefined;
}

/** A queue or id as one safe path segment. */
export function segment(name: string): string {
  return encodeURIComponent(name).replace(/^\.\.?$/, (dots) => dots.replace(/\./g, '%2E'));
}
