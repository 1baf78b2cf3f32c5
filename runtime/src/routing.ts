// Which queue a task goes to. Precedence: applyAsync's queue > the task's own option > the
// config's `routes` > "default". Routes are exact names or globs ("images.*"); an exact name
// wins over a glob, otherwise the first matching glob in the order written.

export const DEFAULT_QUEUE = 'default';

export type Routes = Record<string, string>;

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The queue `routes` sends a task to, or undefined when no route matches. */
export function matchRoute(taskName: string, routes: Routes | undefined): string | undefined {
  if (!routes) return undefined;
  if (Object.hasOwn(routes, taskName)) return routes[taskName];
  for (const [pattern, queue] of Object.entries(routes)) {
    if (/[*?]/.test(pattern) && globToRegExp(pattern).test(taskName)) return queue;
  }
  return undefined;
}

/** The queue a task is sent to, following the precedence above. */
export function routeTask(
  taskName: string,
  choices: { applyQueue?: string; taskQueue?: string; routes?: Routes } = {},
): string {
  return choices.applyQueue ?? choices.taskQueue ?? matchRoute(taskName, choices.routes) ?? DEFAULT_QUEUE;
}
