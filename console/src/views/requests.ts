// Data-subject requests, soonest due first, with a days-left badge coloured by the share of the
// legal time left, and the steps a privacy officer takes: verify, start, extend, fulfil, deny.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { App } from '../app.ts';
import { dueBadge } from '../levels.ts';
import type { RequestView } from '../types.ts';
import { levelChip, loadState, when } from './common.ts';

const DENIAL_REASONS = [
  'identity_not_verified',
  'manifestly_unfounded_or_excessive',
  'legal_obligation_to_retain',
  'legal_claims',
  'rights_of_others',
  'right_not_applicable',
  'statutory_exemption',
];

export function requestsView(app: App): TemplateResult {
  const requests = app.requests.value;
  const now = Date.now();
  return html`
    <div class="toolbar">
      <button type="button" @click=${() => app.load(true)}>Refresh</button>
      <span class="muted">Open requests, soonest due first. Badge: share of the legal time left (over 50% OK, 20–50% warning, under 20% or overdue a problem).</span>
    </div>
    ${app.requestMessage
      ? html`<p class="message level-${app.requestMessage.level}" role="status">${app.requestMessage.text}</p>`
      : nothing}
    ${loadState(app.requests, 'requests:manage', 'the request queue (GET /v1/requests)')}
    ${requests && requests.length === 0 ? html`<p class="muted">No open requests.</p>` : nothing}
    ${requests && requests.length > 0
      ? html`<table class="requests">
          <thead>
            <tr>
              <th scope="col">Due</th><th scope="col">Time left</th><th scope="col">Type</th><th scope="col">Regime</th>
              <th scope="col">Status</th><th scope="col">Subject</th><th scope="col">Received</th><th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            ${requests.map((r) => row(app, r, now))}
          </tbody>
        </table>`
      : nothing}
  `;
}

function row(app: App, r: RequestView, now: number): TemplateResult {
  const badge = dueBadge(r.received_at, r.due_at, now, r.overdue);
  const form = app.requestForm?.id === r.id ? app.requestForm.step : null;
  return html`<tr data-request-id=${r.id} data-due=${r.due_at} data-badge-level=${badge.level}>
      <td>${when(r.due_at)}</td>
      <td>
        <span class="badge level-${badge.level}" data-level=${badge.level} title="${Math.round(badge.share * 100)}% of the legal time left"
          >${levelChip(badge.level)} ${badge.text}</span
        >
      </td>
      <td>${r.type}</td>
      <td>${r.regime}${r.extended_months ? html` <small>(+${r.extended_months} mo)</small>` : nothing}</td>
      <td>${r.status.replace('_', ' ')}</td>
      <td><code>${r.subject}</code></td>
      <td>${when(r.received_at)}</td>
      <td class="actions">${actions(app, r)}</td>
    </tr>
    ${form ? html`<tr class="form-row"><td colspan="8">${stepForm(app, r, form)}</td></tr>` : nothing}`;
}

function actions(app: App, r: RequestView): TemplateResult {
  const open = (step: 'extend' | 'fulfil' | 'deny') => () => {
    app.requestForm = { id: r.id, step };
    app.requestMessage = null;
    app.update();
  };
  const button = (label: string, action: () => void) => html`<button type="button" data-action=${label.toLowerCase()} @click=${action}>${label}</button>`;
  switch (r.status) {
    case 'verifying':
      return html`${button('Verify', () => step(app, r, 'verify', { verified: true }))}
      ${button('Not verified', () => step(app, r, 'verify', { verified: false }))}`;
    case 'open':
    case 'in_progress':
      return html`${r.status === 'open' ? button('Start', () => step(app, r, 'start', {})) : nothing}
      ${r.regime === 'GDPR' && (r.extended_months ?? 0) < 2 ? button('Extend', open('extend')) : nothing}
      ${button('Fulfil', open('fulfil'))} ${button('Deny', open('deny'))}`;
    default:
      return html`<span class="muted">closed</span>`;
  }
}

function stepForm(app: App, r: RequestView, kind: 'extend' | 'fulfil' | 'deny'): TemplateResult {
  const cancel = () => {
    app.requestForm = null;
    app.update();
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    if (kind === 'extend') void step(app, r, 'extend', { months: Number(text('months')), reason: text('reason') });
    if (kind === 'fulfil') void step(app, r, 'fulfil', text('note') ? { note: text('note') } : {});
    if (kind === 'deny') void step(app, r, 'deny', { reason: text('reason'), note: text('note') });
  };
  return html`<form class="step-form" data-form=${kind} @submit=${submit}>
    ${kind === 'extend'
      ? html`<label>Months <select name="months">${[1, 2 - (r.extended_months ?? 0)].filter((m, i, a) => m >= 1 && a.indexOf(m) === i).map((m) => html`<option value=${m}>${m}</option>`)}</select></label>
          <label>Reason (told to the requester) <input name="reason" required maxlength="1000" /></label>`
      : nothing}
    ${kind === 'fulfil' ? html`<label>Note (optional) <input name="note" maxlength="1000" /></label>` : nothing}
    ${kind === 'deny'
      ? html`<label>Reason <select name="reason">${DENIAL_REASONS.map((d) => html`<option value=${d}>${d.replaceAll('_', ' ')}</option>`)}</select></label>
          <label>Note (told to the requester) <input name="note" required maxlength="1000" /></label>`
      : nothing}
    <button type="submit">${kind === 'extend' ? 'Extend' : kind === 'fulfil' ? 'Fulfil' : 'Deny'} request</button>
    <button type="button" class="link" @click=${cancel}>Cancel</button>
  </form>`;
}

async function step(app: App, r: RequestView, name: string, body: Record<string, unknown>): Promise<void> {
  try {
    const updated = await app.api.post<RequestView>(`/v1/requests/${encodeURIComponent(r.id)}/${name}`, body);
    app.requestMessage = { level: 'ok', text: `Request ${r.type} of ${r.subject}: ${name} done, now ${updated.status.replace('_', ' ')}.` };
    app.requestForm = null;
  } catch (e) {
    app.requestMessage = { level: 'bad', text: `Request ${r.type} of ${r.subject}: ${name} refused: ${(e as Error).message}` };
  }
  app.load(true);
}
