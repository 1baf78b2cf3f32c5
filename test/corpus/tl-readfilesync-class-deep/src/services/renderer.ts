import { loadTemplate } from '../templates/loader.ts';
export class Renderer {
  render(name: string, vars: Record<string, string>): string {
    const template = this.template(name);
    return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => vars[key] ?? '');
  }
  private template(name: string): string {
    return loadTemplate(name);
  }
}
