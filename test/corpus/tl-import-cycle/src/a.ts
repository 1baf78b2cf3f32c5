import { normalize } from './b.ts';
export async function fetchUser(id: string) {
  const res = await fetch(`https://api.example.com/users/${normalize(id)}`);
  return res.json();
}
export function trim(id: string) { return id.trim(); }
