// Small pieces every view uses: a state in words and colour, an API error in words, "needs scope".
import { html, nothing, type TemplateResult } from 'lit-html';
import { ApiError } from '../api.ts';
import { LEVEL_WORDS, type Level } from '../levels.ts';
import type { Resource } from '../resource.ts';
import type { Session } from '../session.ts';

/** A state as a coloured chip that says it in words. */
export function levelChip(level: Level): TemplateResult {
  return html`<span class="chip level-${level}" data-level=${level}>${LEVEL_WORDS[level]}</span>`;
}

/** What went wrong, in words: a 403 says which scope the view needs. */
export function problem(error: Error, scope: string | null, what: string): TemplateResult {
  let heading: string;
  let detail: string | null = null;
  if (error instanceof ApiError) {
    detail = error.detail;
    heading =
      error.status === 403
        ? `Forbidden (403): the service refused this token for ${what}${scope ? `; it needs the scope ${scope}` : ''}.`
        : error.status === 401
          ? 'Not signed in (401): the service did not accept the token. Sign out and sign in with a valid one.'
          : error.status === 404
            ? `Not found (404): this service does not offer ${what}.`
            : error.status === 0
              ? `The service did not answer: ${error.detail ?? ''}`
              : `${what} failed: ${error.status} ${error.title}.`;
  } else {
    heading = `${what} failed: ${error.message}`;
  }
  const status = error instanceof ApiError ? String(error.status) : 'error';
  return html`<div class="problem" role="alert" data-status=${status}>
    <strong>${heading}</strong>${detail && !(error instanceof ApiError && error.status === 0) ? html`<p>${detail}</p>` : nothing}
  </div>`;
}

/** The message shown instead of a view the token's scopes do not allow. */
export function needsScope(scope: string, session: Session): TemplateResult {
  return html`<div class="needs-scope" role="note" data-needs-scope=${scope}>
    <strong>This view needs the scope <code>${scope}</code>.</strong>
    <p>This token has ${session.scopes.length ? session.scopes.join(', ') : 'no scopes'}.</p>
  </div>`;
}

/** A loading line, or the error, or nothing once loaded. */
export function loadState<T>(resource: Resource<T>, scope: string | null, what: string): TemplateResult | typeof nothing {
  if (resource.state === 'error' && resource.error) return problem(resource.error, scope, what);
  if (resource.state === 'loading' && resource.value === null) return html`<p class="muted" aria-live="polite">Loading ${what}…</p>`;
  return nothing;
}

/** A time as the viewer's local date and time, with the exact UTC instant on hover. */
export function when(iso: string | null | undefined): TemplateResult | string {
  if (!iso) return '\u2014';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return html`<time datetime=${iso} title=${iso}>${date.toLocaleString()}</time>`;
}
