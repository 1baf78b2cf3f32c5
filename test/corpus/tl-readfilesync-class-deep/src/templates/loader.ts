import fs from 'node:fs';
import path from 'node:path';
export function loadTemplate(name: string): string {
  return fs.readFileSync(path.join(__dirname, 'views', `${name}.html`), 'utf8');
}
