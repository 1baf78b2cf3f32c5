import { scryptSync } from 'node:crypto';
export default async function derive(job) { return scryptSync(job.data.password, job.data.salt, 64).toString('hex'); }
