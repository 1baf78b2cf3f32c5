// Schedules in code: `app.schedule(name, { task, every | cron, timezone, queue })` calls, for the
// editor's Tasks view (next fire times are the runtime's: tasklane/schedule). Only what is written
// as literals (or constants) is read; a schedule whose fields are computed is listed with what
// could be read.
import { Node, ts, type CallExpression, type SourceFile } from 'ts-morph';
import type { Resolver } from './resolve.ts';
import type { ScheduleFound } from './types.ts';
import { objectValue, propertyNode, stringValue } from './values.ts';

/** Cheap text test before a walk: a file without `.schedule(` declares no schedule. */
export function mayDeclareSchedules(text: string): boolean {
  return text.includes('.schedule(') || text.includes('.schedule<');
}

/** `x.schedule(...)` calls with a name and an options object. */
function calls(sourceFile: SourceFile): CallExpression[] {
  const out: CallExpression[] = [];
  sourceFile.forEachDescendant((node) => {
    if (Node.isCallExpression(node)) {
      const callee = node.compilerNode.expression;
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'schedule' && node.getArguments().length >= 2) out.push(node);
    }
  });
  return out;
}

/**
 * The schedules declared in a file. `taskNameOf` names the task a variable holds (`task: resize`
 * where `const resize = app.task('images.resize', …)`), when the analysis found that declaration.
 */
export function findSchedules(sourceFile: SourceFile, resolver: Resolver, taskNameOf: (binding: string) => string | undefined): ScheduleFound[] {
  if (!mayDeclareSchedules(sourceFile.getFullText())) return [];
  const found: ScheduleFound[] = [];
  for (const call of calls(sourceFile)) {
    const [nameArg, optionsArg] = call.getArguments();
    const name = stringValue(resolver, nameArg);
    const options = objectValue(resolver, optionsArg);
    if (name === undefined || !options) continue;
    const taskNode = propertyNode(options, 'task');
    const task = stringValue(resolver, taskNode) ?? (taskNode && Node.isIdentifier(taskNode) ? taskNameOf(taskNode.getText()) ?? taskNode.getText() : taskNode?.getText());
    if (!task) continue;
    const schedule: ScheduleFound = { name, task, file: sourceFile.getFilePath(), line: call.getStartLineNumber() };
    for (const field of ['every', 'cron', 'timezone', 'queue'] as const) {
      const node = propertyNode(options, field);
      if (!node) continue;
      const value = field === 'every' && Node.isNumericLiteral(node) ? node.getLiteralValue() : stringValue(resolver, node);
      if (value === undefined) schedule.computed = [...(schedule.computed ?? []), field];
      else (schedule as unknown as Record<string, unknown>)[field] = value;
    }
    found.push(schedule);
  }
  return found;
}
