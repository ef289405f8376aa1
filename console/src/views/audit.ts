// Audit search: filters in the URL fragment (so reload, back and a shared link keep them), pages
// bounded by the first page's `before`, and for any row "verify in this browser".
import { html, nothing, type TemplateResult } from 'lit-html';
import type { App } from '../app.ts';
import { proveEntry } from '../proof/prove.ts';
import { apiProofSource } from '../proof-source.ts';
import type { AuditEntryView } from '../types.ts';
import { loadState, when } from './common.ts';
import { recordsOfProcessing } from './download.ts';
import { AUDIT_ACTIONS as ACTIONS, AUDIT_FILTERS } from './load.ts';
import { proofResult } from './proof-result.ts';


export function auditView(app: App): TemplateResult {
  const params = app.route.params;
  const page = app.audit.value;
  return html`
    <div class="toolbar">${recordsOfProcessing(app)}</div>
    ${filterForm(app, params)}
    <p class="muted pinned">
      ${app.pinnedKey
        ? html`Proofs are checked against the pinned key <code>${app.pinnedKey.split('+')[0]}</code>.`
        : html`No verifier key pinned: "verify" can check the hashes but not prove the checkpoint is genuine.
            <a href="#settings">Pin the key</a>.`}
    </p>
    ${loadState(app.audit, 'audit:read', 'the audit search (GET /v1/audit/events)')}
    ${page && page.entries.length === 0 ? html`<p class="muted" data-empty>No entries match.</p>` : nothing}
    ${page && page.entries.length > 0
      ? html`<table class="audit">
          <thead>
            <tr>
              <th scope="col">Seq</th><th scope="col">Recorded</th><th scope="col">Actor</th><th scope="col">Subject</th>
              <th scope="col">Action</th><th scope="col">Purpose</th><th scope="col">Outcome</th><th scope="col">Proof</th>
            </tr>
          </thead>
          <tbody>
            ${page.entries.map((e) => entryRow(app, e))}
          </tbody>
        </table>`
      : nothing}
    ${page ? pager(app, params, page.entries, page.next_after, page.before) : nothing}
  `;
}

function filterForm(app: App, params: Record<string, string>): TemplateResult {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const next: Record<string, string> = {};
    for (const name of AUDIT_FILTERS) {
      const value = String(data.get(name) ?? '').trim();
      if (value === '') continue;
      next[name] = name === 'from' || name === 'to' ? localToIso(value) : value;
    }
    app.navigate({ view: 'audit', params: next });
  };
  const text = (name: string, label: string) =>
    html`<label>${label} <input name=${name} .value=${params[name] ?? ''} maxlength="256" /></label>`;
  return html`<form class="filters" @submit=${submit} aria-label="Audit filters">
    ${text('subject', 'Subject')} ${text('actor', 'Actor')} ${text('purpose', 'Purpose')}
    <label
      >Action
      <select name="action" .value=${params['action'] ?? ''}>
        <option value="" ?selected=${!params['action']}>any</option>
        ${ACTIONS.map((a) => html`<option value=${a} ?selected=${params['action'] === a}>${a.replaceAll('_', ' ')}</option>`)}
      </select></label
    >
    <label>From <input type="datetime-local" name="from" .value=${isoToLocal(params['from'])} /></label>
    <label>To <input type="datetime-local" name="to" .value=${isoToLocal(params['to'])} /></label>
    <button type="submit">Search</button>
    <a class="button link" href="#audit">Clear</a>
    <p class="muted note">A search by subject is itself recorded in the audit log, as a read of that subject's trail.</p>
  </form>`;
}

function entryRow(app: App, e: AuditEntryView): TemplateResult {
  const report = app.proofs.get(e.seq);
  const verify = async () => {
    app.proofs.set(e.seq, 'running');
    app.update();
    const result = await proveEntry(e, {
      tokenTenant: app.session?.tenant ?? null,
      pinnedKey: app.pinnedKey,
      source: apiProofSource(app.api),
    });
    app.proofs.set(e.seq, result);
    app.update();
  };
  return html`<tr data-seq=${e.seq}>
      <td>${e.seq}</td>
      <td>${when(e.recorded_at)}</td>
      <td>${e.actor}${e.actor_role ? html` <small>(${e.actor_role})</small>` : nothing}</td>
      <td>${e.subject ? html`<code>${e.subject}</code>` : '\u2014'}</td>
      <td>${e.action}</td>
      <td>${e.purpose ?? '\u2014'}</td>
      <td>${e.outcome}</td>
      <td><button type="button" data-verify=${e.seq} ?disabled=${report === 'running'} @click=${verify}>Verify in this browser</button></td>
    </tr>
    ${report ? html`<tr class="proof-row" data-proof-for=${e.seq}><td colspan="8">${proofResult(report)}</td></tr>` : nothing}`;
}

function pager(app: App, params: Record<string, string>, entries: AuditEntryView[], nextAfter: number | null, before: number): TemplateResult {
  // The filters and the page size stay; the page bounds change.
  const filters = Object.fromEntries([...AUDIT_FILTERS, 'limit'].filter((f) => params[f]).map((f) => [f, params[f]!]));
  const first = entries[0]?.seq;
  const last = entries[entries.length - 1]?.seq;
  return html`<div class="pager">
    ${entries.length ? html`<span class="muted">seq ${first} to ${last}; the search covers entries before seq ${before}</span>` : nothing}
    ${params['after'] ? html`<a class="button" href="#audit" data-page="first" @click=${(ev: Event) => {
      ev.preventDefault();
      app.navigate({ view: 'audit', params: filters });
    }}>First page</a>` : nothing}
    ${nextAfter !== null
      ? html`<button type="button" data-page="next" @click=${() =>
          app.navigate({ view: 'audit', params: { ...filters, after: String(nextAfter), before: String(before) } })}>Next page</button>`
      : nothing}
  </div>`;
}

/** "2026-03-01T10:00" in the viewer's time zone, as an ISO instant in UTC. */
export function localToIso(local: string): string {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString().replace('.000Z', 'Z');
}

/** An ISO instant as the value of a datetime-local input, in the viewer's time zone. */
export function isoToLocal(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
