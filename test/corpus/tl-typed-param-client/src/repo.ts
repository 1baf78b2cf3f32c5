import type { Pool } from 'pg';
export async function saveEvent(db: Pool, type: string, payload: unknown) {
  await db.query('insert into events(type, payload) values ($1, $2)', [type, JSON.stringify(payload)]);
}
