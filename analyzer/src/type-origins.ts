// With node_modules installed, the type checker knows what syntax cannot: the package that
// declares a value's type (a client returned by an unknown helper package, a contextually typed
// parameter). Used only where the syntactic trace ends, so an edit stays a re-parse in the common case.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from 'ts-morph';
import type { Log } from './workspace.ts';

/** "/x/node_modules/@types/pg/index.d.ts" → "pg"; "/x/node_modules/@scope/pkg/a.d.ts" → "@scope/pkg". */
export function packageOfPath(path: string): string | undefined {
  const at = path.lastIndexOf('/node_modules/');
  const match = at === -1 ? null : /^((?:@[^/]+\/)?[^/]+)\//.exec(path.slice(at + '/node_modules/'.length));
  if (!match) return undefined;
  const name = match[1];
  if (!name.startsWith('@types/')) return name;
  // @types/node declares builtins: their names are not packages, and imports of them resolve already.
  if (name === '@types/node') return undefined;
  const bare = name.slice('@types/'.length);
  return bare.includes('__') ? `@${bare.replace('__', '/')}` : bare;
}

export class TypeOrigins {
  private enabled: boolean;

  constructor(folder: string, private readonly log: Log) {
    this.enabled = existsSync(join(folder, 'node_modules'));
  }

  /** The package declaring the type of `node`'s value, if node_modules says. */
  packageOf(node: Node): string | undefined {
    if (!this.enabled) return undefined;
    try {
      const type = node.getType();
      const symbol = type.getSymbol() ?? type.getAliasSymbol() ?? type.getApparentType().getSymbol();
      for (const declaration of symbol?.getDeclarations() ?? []) {
        const name = packageOfPath(declaration.getSourceFile().getFilePath());
        if (name) return name;
      }
    } catch (error) {
      this.enabled = false;
      this.log(`types unavailable, continuing from syntax alone: ${(error as Error).message}`);
    }
    return undefined;
  }
}
