// Quick fix: a blocking `*Sync` call → the awaited async twin the analyzer names
// (`readFileSync(p)` → `await readFile(p)` from node:fs/promises). Offered only where it is safe:
// inside an async function, with the twin's name free (or already imported from the right module).
// The import is added, and the old one removed when this was its last use.
import { ts } from 'ts-morph';
import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range as AnalysisRange, Replacement } from '@tasklane/analyzer';
import { callCovering, enclosingFunction, isAsync, parse, quoteOf, quoted } from '../syntax.ts';

const bare = (specifier: string): string => specifier.replace(/^node:/, '');

function importsOf(file: ts.SourceFile): ts.ImportDeclaration[] {
  return file.statements.filter(ts.isImportDeclaration);
}

function moduleOf(declaration: ts.ImportDeclaration): string {
  return (declaration.moduleSpecifier as ts.StringLiteral).text;
}

function namedImports(declaration: ts.ImportDeclaration): ts.NamedImports | undefined {
  const bindings = declaration.importClause?.namedBindings;
  return bindings && ts.isNamedImports(bindings) && !declaration.importClause?.isTypeOnly ? bindings : undefined;
}

/** Every identifier spelled `name` in the file: a cheap, conservative test that a name is free or used. */
function occurrences(file: ts.SourceFile, name: string): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The named import that binds `local` in the file, if any. */
function importBinding(file: ts.SourceFile, local: string): ts.ImportSpecifier | undefined {
  for (const declaration of importsOf(file)) {
    const specifier = namedImports(declaration)?.elements.find((element) => element.name.text === local);
    if (specifier) return specifier;
  }
  return undefined;
}

/** The parentheses `await` needs where the call's result is used as an operand of a member access or call. */
function needsParentheses(call: ts.CallExpression): boolean {
  const parent = call.parent;
  return (
    ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || ts.isCallExpression(parent)) && parent.expression === call) ||
    ts.isTaggedTemplateExpression(parent) ||
    ts.isNonNullExpression(parent)
  );
}

export function syncToAsyncEdits(document: TextDocument, range: AnalysisRange, replacement: Replacement): TextEdit[] | undefined {
  const call = callCovering(document, range);
  const callee = call && (ts.isIdentifier(call.expression) ? call.expression : ts.isPropertyAccessExpression(call.expression) ? call.expression.name : undefined);
  if (!call || !callee?.text.endsWith('Sync')) return undefined;
  const fn = enclosingFunction(call);
  if (!fn || !isAsync(fn)) return undefined;

  const file = parse(document);
  const edit = (start: number, end: number, newText: string): TextEdit => ({
    range: { start: document.positionAt(start), end: document.positionAt(end) },
    newText,
  });
  const edits: TextEdit[] = [];
  const imports = importsOf(file);

  // The twin's local name: already imported from its module, or free to import.
  const target = bare(replacement.from);
  const existing = imports
    .filter((declaration) => bare(moduleOf(declaration)) === target)
    .flatMap((declaration) => namedImports(declaration)?.elements ?? [])
    .find((element) => (element.propertyName ?? element.name).text === replacement.name);
  const local = existing?.name.text ?? replacement.name;
  if (!existing && occurrences(file, replacement.name).length) return undefined;

  // The old import goes when this call was the last use of a name it bound.
  const oldSpecifier = ts.isIdentifier(call.expression) && occurrences(file, callee.text).length === 2 ? importBinding(file, callee.text) : undefined;
  const oldDeclaration = oldSpecifier?.parent.parent.parent as ts.ImportDeclaration | undefined;
  const dropWhole = oldSpecifier && oldDeclaration && !oldDeclaration.importClause?.name && namedImports(oldDeclaration)?.elements.length === 1;

  const sameModule = imports.find((candidate) => bare(moduleOf(candidate)) === target && namedImports(candidate));
  let oldReplaced = false;
  if (!existing) {
    const semicolon = imports.length === 0 || imports.at(-1)!.getText(file).endsWith(';') ? ';' : '';
    const declaration = `import { ${replacement.name} } from ${quoted(replacement.from, quoteOf(file))}${semicolon}`;
    if (sameModule) {
      const bindings = namedImports(sameModule)!;
      const last = bindings.elements.at(-1);
      edits.push(last ? edit(last.getEnd(), last.getEnd(), `, ${replacement.name}`) : edit(bindings.getStart(file), bindings.getEnd(), `{ ${replacement.name} }`));
    } else if (dropWhole) {
      // One edit instead of a removal touching an insertion at the same place.
      edits.push(edit(oldDeclaration!.getStart(file), oldDeclaration!.getEnd(), declaration));
      oldReplaced = true;
    } else if (imports.length) {
      edits.push(edit(imports.at(-1)!.getEnd(), imports.at(-1)!.getEnd(), `\n${declaration}`));
    } else {
      edits.push(edit(0, 0, `${declaration}\n`));
    }
  }

  if (oldSpecifier && !oldReplaced && oldDeclaration !== sameModule) {
    if (dropWhole) {
      const end = document.getText()[oldDeclaration!.getEnd()] === '\n' ? oldDeclaration!.getEnd() + 1 : oldDeclaration!.getEnd();
      edits.push(edit(oldDeclaration!.getStart(file), end, ''));
    } else {
      const bindings = namedImports(oldDeclaration!)!;
      const elements = bindings.elements;
      const index = elements.indexOf(oldSpecifier);
      if (elements.length === 1) {
        // `import fs, { readFileSync }`: the default import stays.
        edits.push(edit(oldDeclaration!.importClause!.name!.getEnd(), bindings.getEnd(), ''));
      } else if (index < elements.length - 1) {
        edits.push(edit(oldSpecifier.getStart(file), elements[index + 1].getStart(file), ''));
      } else {
        edits.push(edit(elements[index - 1].getEnd(), oldSpecifier.getEnd(), ''));
      }
    }
  }

  const awaited = `await ${local}${call.getText(file).slice(call.expression.getEnd() - call.getStart(file))}`;
  edits.push(edit(call.getStart(file), call.getEnd(), needsParentheses(call) ? `(${awaited})` : awaited));
  return edits;
}
