/**
 * Diagnostics: what a resource reports instead of throwing (terraform-plugin-framework
 * `diag/diagnostics.go`). Each carries a summary, a detail and, when it is about one value,
 * the attribute path Terraform underlines in the user's configuration.
 *
 * @module
 */
import { formatPath, pathToWire, type AttributePath } from '../protocol/cty/path';
import { Severity, type Diagnostic as WireDiagnostic } from '../protocol/messages';
import { redactText } from '../protocol/logging';

export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail: string;
  readonly path?: AttributePath;
}

export class Diagnostics {
  readonly items: Diagnostic[] = [];

  error(summary: string, detail = '', path?: AttributePath): this {
    this.items.push(
      path === undefined
        ? { severity: 'error', summary, detail }
        : { severity: 'error', summary, detail, path },
    );
    return this;
  }

  warning(summary: string, detail = '', path?: AttributePath): this {
    this.items.push(
      path === undefined
        ? { severity: 'warning', summary, detail }
        : { severity: 'warning', summary, detail, path },
    );
    return this;
  }

  append(other: Diagnostics | readonly Diagnostic[]): this {
    this.items.push(...(other instanceof Diagnostics ? other.items : other));
    return this;
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === 'error');
  }

  toString(): string {
    return this.items
      .map(
        (d) =>
          `${d.severity}: ${d.path ? `${formatPath(d.path)}: ` : ''}${d.summary}${d.detail ? ` — ${d.detail}` : ''}`,
      )
      .join('\n');
  }

  toWire(): WireDiagnostic[] {
    return this.items.map((d) => ({
      severity: d.severity === 'error' ? Severity.ERROR : Severity.WARNING,
      // Defence in depth: no key material in anything shown to users.
      summary: redactText(d.summary),
      detail: redactText(d.detail),
      ...(d.path === undefined || d.path.length === 0 ? {} : { attribute: pathToWire(d.path) }),
    }));
  }
}

/**
 * An unexpected failure inside a handler, as a diagnostic: typed Keyplane errors keep their
 * code and field (the field becomes the attribute path when the schema has it).
 */
export function errorDiagnostic(
  diags: Diagnostics,
  summary: string,
  e: unknown,
  attributeFor?: (field: string) => AttributePath | undefined,
): void {
  const err = e as { message?: unknown; code?: unknown; field?: unknown };
  const message = typeof err.message === 'string' ? err.message : String(e);
  const code = typeof err.code === 'string' ? ` [${err.code}]` : '';
  const at = typeof err.field === 'string' ? attributeFor?.(err.field) : undefined;
  diags.error(summary, `${message}${code}`, at);
}
