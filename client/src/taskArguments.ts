// Task arguments typed by the user as JSON: parsed (never evaluated) and checked against the
// handler's parameters where the analysis knows them. Free of `vscode` so it is unit-tested in Node.
import type { Parameter } from '@tasklane/server/protocol';

export type ParsedArguments = { ok: true; args: unknown[] } | { ok: false; error: string };

const EXAMPLE = '["a.png", 200]';

export function parseTaskArguments(text: string, parameters?: Parameter[]): ParsedArguments {
  const source = text.trim();
  if (source === '') return check([], parameters);
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    return { ok: false, error: `Not valid JSON (${(error as Error).message}). Write the arguments as a JSON array, e.g. ${EXAMPLE}: strings in double quotes, no trailing commas.` };
  }
  if (!Array.isArray(value)) {
    return { ok: false, error: `The arguments must be a JSON array with one element per parameter, e.g. ${EXAMPLE}; got ${describe(value)}. Wrap a single argument in [ ].` };
  }
  return check(value, parameters);
}

function check(args: unknown[], parameters: Parameter[] | undefined): ParsedArguments {
  if (!parameters) return { ok: true, args };
  const rest = parameters.find((p) => p.rest);
  const required = parameters.filter((p) => !p.optional && !p.rest).length;
  const max = rest ? Infinity : parameters.length;
  if (args.length < required || args.length > max) {
    const expected = rest ? `at least ${required}` : required === max ? `${max}` : `${required} to ${max}`;
    return { ok: false, error: `The task takes ${expected} argument${max === 1 ? '' : 's'} (${signature(parameters)}); got ${args.length}.` };
  }
  for (let i = 0; i < args.length; i++) {
    const parameter = i < parameters.length && !parameters[i].rest ? parameters[i] : rest;
    const type = parameter?.rest ? elementType(parameter.type) : parameter?.type;
    if (!parameter || !type) continue;
    if (matches(args[i], type) === false) {
      return { ok: false, error: `Argument ${i + 1} (${parameter.name}) must be ${type}; got ${describe(args[i])}.` };
    }
  }
  return { ok: true, args };
}

function signature(parameters: Parameter[]): string {
  return parameters.map((p) => `${p.rest ? '...' : ''}${p.name}${p.optional ? '?' : ''}${p.type ? `: ${p.type}` : ''}`).join(', ');
}

function elementType(type: string | undefined): string | undefined {
  const t = type?.trim();
  if (!t) return undefined;
  const array = /^(.*)\[\]$/.exec(t) ?? /^Array<(.*)>$/.exec(t);
  return array ? array[1].trim() : undefined;
}

/** false when the value certainly does not fit the type; undefined when the type is not understood. */
function matches(value: unknown, type: string): boolean | undefined {
  const t = stripParens(type.trim());
  const parts = splitTopLevel(t, '|');
  if (parts.length > 1) {
    const results = parts.map((p) => matches(value, p));
    if (results.includes(true)) return true;
    return results.includes(undefined) ? undefined : false;
  }
  switch (t) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number';
    case 'boolean': return typeof value === 'boolean';
    case 'null': return value === null;
    case 'undefined': case 'void': return value === undefined;
    case 'true': case 'false': return value === (t === 'true');
    case 'any': case 'unknown': return true;
    case 'object': case 'Record<string, unknown>': case 'Record<string, any>':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
  if (/^(['"]).*\1$/.test(t)) return value === t.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(t)) return value === Number(t);
  const element = elementType(t);
  if (element !== undefined) {
    if (!Array.isArray(value)) return false;
    const results = value.map((v) => matches(v, element));
    if (results.includes(false)) return false;
    return results.includes(undefined) ? undefined : true;
  }
  if (t.startsWith('{')) return typeof value === 'object' && value !== null && !Array.isArray(value);
  return undefined;
}

function stripParens(t: string): string {
  return t.startsWith('(') && t.endsWith(')') && splitTopLevel(t.slice(1, -1), '|').join('|') === t.slice(1, -1) ? t.slice(1, -1).trim() : t;
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c)) depth--;
    else if (c === separator && depth === 0) { parts.push(text.slice(start, i).trim()); start = i + 1; }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p) => p !== '');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** A starting value for the input box: one placeholder per required parameter. */
export function argumentsTemplate(parameters: Parameter[] | undefined): string {
  if (!parameters) return '[]';
  const sample = (type: string | undefined): unknown => {
    const t = type?.trim() ?? '';
    if (t === 'number') return 0;
    if (t === 'boolean') return false;
    if (t === 'string') return '';
    if (elementType(t) !== undefined) return [];
    if (t.startsWith('{') || t === 'object') return {};
    return null;
  };
  return JSON.stringify(parameters.filter((p) => !p.optional && !p.rest).map((p) => sample(p.type)));
}
