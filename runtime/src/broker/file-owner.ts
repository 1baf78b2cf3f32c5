// Who holds a lease of the embedded broker: a process id and, where /proc tells it (Linux), the
// process's start time, so a pid reused by a new process (a restarted container's pid 1) is not
// taken for the owner that died holding the lease.
import { readFileSync } from 'node:fs';

/** The start time of process `pid` in clock ticks since boot, or "" when it cannot be known. */
function startTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)" start at field 3; starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

/** This process as a lease owner: "<pid>" or "<pid>-<start time>". */
export const SELF = ((start) => (start ? `${process.pid}-${start}` : String(process.pid)))(startTime(process.pid));

/** Whether the owner named in a lease still runs. */
export function ownerAlive(owner: string): boolean {
  const [pidText, start] = owner.split('-');
  const pid = Number(pidText);
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false; // EPERM: alive, another user's
  }
  if (!start) return true;
  const now = startTime(pid);
  return now === '' || now === start;
}
