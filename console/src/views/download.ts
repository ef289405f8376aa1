// Reports the service renders (HTML, JSON) fetched with the bearer token and saved as a file. A
// plain link cannot carry the token (it stays in memory, never in a URL or a cookie), and a saved
// file puts no server-made markup into the console's own origin.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { App } from '../app.ts';
import type { Query } from '../api.ts';
import { allows } from '../session.ts';
import { problem } from './common.ts';

export interface Download {
  /** What it is, in words ("the records of processing"). */
  what: string;
  path: string;
  query: Query;
  accept: 'text/html' | 'application/json';
  filename: string;
  /** The scope it needs, named when the service refuses. */
  scope: string;
}

/** Fetches the document and hands it to the browser as a download. */
export async function download(app: App, d: Download): Promise<void> {
  app.downloadProblem = null;
  app.update();
  try {
    const blob = await app.api.blob(d.path, d.query, d.accept);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = d.filename;
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    app.downloadProblem = { what: d.what, error: e as Error };
    app.update();
  }
}

/** A button that downloads `d`. */
export function downloadButton(app: App, label: string, d: Download, attrs: { name: string }): TemplateResult {
  return html`<button type="button" class="download" data-download=${attrs.name} title="Saves ${d.filename}" @click=${() => void download(app, d)}>
    ${label}
  </button>`;
}

/** The last download's failure, if any, with the scope it needs. */
export function downloadProblem(app: App, scope: string): TemplateResult | typeof nothing {
  const p = app.downloadProblem;
  return p ? problem(p.error, scope, p.what) : nothing;
}

/** The record of processing activities (GDPR Art. 30) as the service's HTML page, for audit:read. */
export function recordsOfProcessing(app: App): TemplateResult | typeof nothing {
  if (!allows(app.session, 'audit:read')) return nothing;
  const day = new Date().toISOString().slice(0, 10);
  return html`${downloadButton(
      app,
      'Records of processing (HTML)',
      {
        what: 'the records of processing (GET /v1/reports/records-of-processing)',
        path: '/v1/reports/records-of-processing',
        query: { format: 'html' },
        accept: 'text/html',
        filename: `records-of-processing-${safeName(app.session?.tenant ?? 'tenant')}-${day}.html`,
        scope: 'audit:read',
      },
      { name: 'records-of-processing' },
    )}
    ${downloadProblem(app, 'audit:read')}`;
}

/** A value made safe for a file name. */
export function safeName(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'x';
}
