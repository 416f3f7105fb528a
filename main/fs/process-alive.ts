/**
 * True while a process with this id exists on this machine. `kill(pid, 0)` sends nothing; it only
 * asks the kernel. EPERM means the process exists but belongs to someone else. A zombie (exited,
 * not yet reaped by its parent) still counts as alive, which errs on the safe side.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
