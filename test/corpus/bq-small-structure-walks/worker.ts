import { Worker } from 'bullmq';
import { Pool } from 'pg';

const pool = new Pool();

// Fills {{name}} placeholders in a step's parameters: the string of each entry is split into its own
// parts (per element, not a second pass over the data), arrays are walked by recursion on each item.
function fillParameters(parameters: Record<string, unknown>, values: Record<string, string>): Record<string, unknown> {
  return Object.entries(parameters).reduce((result, [key, value]) => {
    if (typeof value === 'string') {
      const parts = value.split(/({{\w+}})/);
      return { ...result, [key]: parts.map((part) => part.startsWith('{{') ? values[part.slice(2, -2)] : part).join('') };
    }
    if (Array.isArray(value)) return { ...result, [key]: value.map((item) => fillParameters(item, values)) };
    return { ...result, [key]: value };
  }, {});
}

// Unwraps a nested envelope: one recursive step into a part of the value.
function unwrapEnvelope(message: { inner?: Array<{ value?: unknown }>; body?: string }): string | undefined {
  const [first] = message.inner ?? [];
  const value = first?.value as typeof message | undefined;
  if (value) return unwrapEnvelope(value);
  return message.body;
}

// A small filter list from the job's options, cleaned with trivial callbacks.
function included(path: string, filters: { patterns?: string[] }): boolean {
  const patterns = (filters.patterns ?? []).map((p) => p.trim()).filter(Boolean);
  return !patterns.length || patterns.includes(path);
}

export const worker = new Worker('steps', async (job) => {
  const { rows } = await pool.query('SELECT path, parameters, message FROM steps WHERE flow = $1', [job.data.flow]);
  const kept = rows.filter((row) => included(row.path, job.data.filters));
  for (const row of kept) {
    const parameters = fillParameters(row.parameters, job.data.values);
    await pool.query('UPDATE steps SET parameters = $1, body = $2 WHERE path = $3', [parameters, unwrapEnvelope(row.message), row.path]);
  }
});
