/**
 * Everything the benchmark creates (server process, bench database, temporary directories) is
 * registered here the moment it exists and undone in reverse order: at the end of a run, on an
 * error, and on SIGINT/SIGTERM.
 */

type Task = { name: string; run: () => Promise<void> | void };

const tasks: Task[] = [];
let signalled = false;

/** Registers an undo step; returns the position to pass to `cleanupTo` to undo back to here. */
export function onCleanup(name: string, run: Task["run"]): number {
  tasks.push({ name, run });
  return tasks.length - 1;
}

/** Where the stack is now (undo back to this mark later with `cleanupTo`). */
export function cleanupMark(): number {
  return tasks.length;
}

/** Runs (once each) the steps registered after `mark`, newest first. Never throws. */
export async function cleanupTo(mark = 0): Promise<void> {
  while (tasks.length > mark) {
    const task = tasks.pop()!;
    try {
      await task.run();
    } catch (error) {
      console.error(`cleanup: ${task.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** On SIGINT/SIGTERM: undo everything, then exit (a second signal exits at once). */
export function installSignalHandlers(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (signalled) process.exit(130);
      signalled = true;
      console.error(`\n${signal}: stopping the server and cleaning up…`);
      void cleanupTo(0).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
}
