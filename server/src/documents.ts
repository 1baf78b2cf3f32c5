// Open editor buffers by absolute path. An open buffer is the truth for its file (the analyzer is
// fed its text); a closed file is read from disk.
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocuments } from 'vscode-languageserver';
import { pathOf, uriOf } from './paths.ts';

export class OpenDocuments {
  constructor(private readonly documents: TextDocuments<TextDocument>) {}

  byPath(path: string): TextDocument | undefined {
    return this.documents.all().find((document) => pathOf(document.uri) === path);
  }

  /** The client's own URI for an open file (its encoding may differ from ours), else a file: URI. */
  uriFor(path: string): string {
    return this.byPath(path)?.uri ?? uriOf(path);
  }

  paths(): string[] {
    return this.documents.all().map((document) => pathOf(document.uri)).filter((path): path is string => path !== undefined);
  }

  /** The buffer if open, else the file on disk as a document (version 0); undefined if unreadable. */
  read(path: string): TextDocument | undefined {
    const open = this.byPath(path);
    if (open) return open;
    try {
      return TextDocument.create(uriOf(path), 'plaintext', 0, readFileSync(path, 'utf8'));
    } catch {
      return undefined;
    }
  }
}
