// Data-subject requests, soonest due first, with a days-left badge coloured by the share of the
// legal time left, who filed each (a badge when the subject did, with its own token), the purposes
// a restriction, objection or human review concerns, and the steps a privacy officer takes:
// verify, start, extend, fulfil, deny; and lift, on a fulfilled restriction. Any request, closed
// ones too, opens by id (#requests?id=...) with its history.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { App } from '../app.ts';
import { dueBadge } from '../levels.ts';
import type { RequestView } from '../types.ts';
import { levelChip, loadState, when } from './common.ts';

type FormStep = 'extend' | 'fulfil' | 'deny' | 'lift';

/** A request type in words: "human review" for human_review. */
export function typeLabel(type: string): string {
  return type.replaceAll('_', ' ');
}

/** A status in words: "in progress", "withdrawn". */
export function statusLabel(status: string): string {
  return status.toLowerCase().replaceAll('_', ' ');
}

/** Whether a request is a fulfilled restriction whose lifting has not been announced yet (as far as its history shows). */
export function liftable(r: RequestView): boolean {
  if (r.type !== 'restriction' || r.status !== 'fulfilled') return false;
  return !(r.history ?? []).some((h) => /^restriction lifts at /.test(h.note ?? ''));
}

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
  const openId = app.route.params['id'] ?? null;
  const message = app.requestMessage;
  return html`
    <div class="toolbar">
      <button type="button" @click=${() => app.load(true)}>Refresh</button>
      ${lookup(app, openId)}
      <span class="muted">Open requests, soonest due first. Badge: share of the legal time left (over 50% OK, 20–50% warning, under 20% or overdue a problem).</span>
    </div>
    ${message
      ? html`<p class="message level-${message.level}" role="status">
          ${message.text}
          ${message.id && message.id !== openId ? html` <a href="#requests?id=${encodeURIComponent(message.id)}" data-open-message>Open the request</a>` : nothing}
        </p>`
      : nothing}
    ${openId ? detail(app, openId) : nothing}
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
            ${requests.map((r) => row(app, r, now, openId))}
          </tbody>
        </table>`
      : nothing}
  `;
}

function lookup(app: App, openId: string | null): TemplateResult {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const id = String(new FormData(event.target as HTMLFormElement).get('id') ?? '').trim();
    app.requestMessage = null;
    app.navigate({ view: 'requests', params: id ? { id } : {} });
  };
  return html`<form class="lookup" aria-label="Open a request by id" @submit=${submit}>
    <label>Request id <input name="id" .value=${openId ?? ''} maxlength="256" autocomplete="off" /></label>
    <button type="submit">Open</button>
  </form>`;
}

/** The request opened by id: every field, its history and its steps (lift on a fulfilled restriction). */
function detail(app: App, id: string): TemplateResult {
  const r = app.requestDetail.value;
  const form = r && app.requestForm?.id === r.id ? app.requestForm.step : null;
  return html`<section class="request-detail" aria-label="Request ${id}" data-request=${id} data-status=${r?.status ?? ''}>
    ${loadState(app.requestDetail, 'requests:manage', `the request ${id} (GET /v1/requests/{id})`)}
    ${r
      ? html`<h3>${typeLabel(r.type)} request of <code>${r.subject}</code>${filedBy(r)}</h3>
          <dl>
            <dt>Id</dt><dd><code>${r.id}</code></dd>
            <dt>Status</dt><dd data-field="status">${statusLabel(r.status)}</dd>
            <dt>Regime</dt><dd>${r.regime}${r.extended_months ? ` (+${r.extended_months} mo)` : ''}</dd>
            <dt>Purposes</dt><dd data-field="purposes">${purposesText(r)}</dd>
            <dt>Filed by</dt><dd data-field="filed-by">${r.filed_by ?? 'fiduciary'}</dd>
            <dt>Received</dt><dd>${when(r.received_at)}</dd>
            <dt>Due</dt><dd>${when(r.due_at)}${r.overdue ? html` ${levelChip('bad')} overdue` : nothing}</dd>
            ${r.denial_reason ? html`<dt>Denial reason</dt><dd>${typeLabel(r.denial_reason)}</dd>` : nothing}
            ${r.outcome_note ? html`<dt>Note</dt><dd>${r.outcome_note}</dd>` : nothing}
          </dl>
          ${r.history && r.history.length
            ? html`<h4>History</h4>
                <ol class="history">
                  ${r.history.map((h) => html`<li data-history-status=${h.status ?? ''}>${when(h.at)} ${statusLabel(h.status ?? '')}${h.note ? html` — ${h.note}` : nothing}</li>`)}
                </ol>`
            : nothing}
          <div class="actions">${actions(app, r)} <a class="button link" href="#requests">Close</a></div>
          ${form ? stepForm(app, r, form) : nothing}`
      : nothing}
  </section>`;
}

function filedBy(r: RequestView): TemplateResult | typeof nothing {
  return r.filed_by === 'subject'
    ? html`<span class="filed-by" data-filed-by="subject" title="Filed by the data subject with its own token (/v1/me/requests)">filed by subject</span>`
    : nothing;
}

function purposesText(r: RequestView): string {
  if (r.purposes && r.purposes.length) return r.purposes.join(', ');
  return ['restriction', 'objection', 'human_review'].includes(r.type) ? 'every purpose' : '\u2014';
}

function row(app: App, r: RequestView, now: number, openId: string | null): TemplateResult {
  const badge = dueBadge(r.received_at, r.due_at, now, r.overdue);
  const form = app.requestForm?.id === r.id && openId !== r.id ? app.requestForm.step : null;
  const scoped = ['restriction', 'objection', 'human_review'].includes(r.type);
  return html`<tr data-request-id=${r.id} data-due=${r.due_at} data-badge-level=${badge.level} data-type=${r.type} data-filed-by=${r.filed_by ?? 'fiduciary'}>
      <td>${when(r.due_at)}</td>
      <td>
        <span class="badge level-${badge.level}" data-level=${badge.level} title="${Math.round(badge.share * 100)}% of the legal time left"
          >${levelChip(badge.level)} ${badge.text}</span
        >
      </td>
      <td>
        <a href="#requests?id=${encodeURIComponent(r.id)}" data-open=${r.id}>${typeLabel(r.type)}</a>${filedBy(r)}
        ${scoped ? html`<span class="purposes-list" data-purposes>${purposesText(r)}</span>` : nothing}
      </td>
      <td>${r.regime}${r.extended_months ? html` <small>(+${r.extended_months} mo)</small>` : nothing}</td>
      <td>${statusLabel(r.status)}</td>
      <td><code>${r.subject}</code></td>
      <td>${when(r.received_at)}</td>
      <td class="actions">${actions(app, r)}</td>
    </tr>
    ${form ? html`<tr class="form-row"><td colspan="8">${stepForm(app, r, form)}</td></tr>` : nothing}`;
}

function actions(app: App, r: RequestView): TemplateResult {
  const open = (step: FormStep) => () => {
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
    case 'fulfilled':
      if (liftable(r)) return button('Lift', open('lift'));
      return html`<span class="muted">${r.type === 'restriction' ? 'lifting announced' : 'closed'}</span>`;
    default:
      return html`<span class="muted">closed (${statusLabel(r.status)})</span>`;
  }
}

function stepForm(app: App, r: RequestView, kind: FormStep): TemplateResult {
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
    if (kind === 'lift') void step(app, r, 'lift', { reason: text('reason') });
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
    ${kind === 'lift'
      ? html`<label>Reason (told to the subject before the restriction lifts) <input name="reason" required maxlength="1000" /></label>
          <p class="muted note">The subject is told by a restriction.lifting webhook; the restriction keeps holding until the notice period ends (GDPR Art. 18(3)).</p>`
      : nothing}
    <button type="submit">${kind === 'extend' ? 'Extend request' : kind === 'fulfil' ? 'Fulfil request' : kind === 'deny' ? 'Deny request' : 'Lift restriction'}</button>
    <button type="button" class="link" @click=${cancel}>Cancel</button>
  </form>`;
}

async function step(app: App, r: RequestView, name: string, body: Record<string, unknown>): Promise<void> {
  try {
    const updated = await app.api.post<RequestView>(`/v1/requests/${encodeURIComponent(r.id)}/${name}`, body);
    app.requestMessage = { level: 'ok', text: `Request ${typeLabel(r.type)} of ${r.subject}: ${name} done, now ${statusLabel(updated.status)}.`, id: r.id };
    app.requestForm = null;
  } catch (e) {
    app.requestMessage = { level: 'bad', text: `Request ${typeLabel(r.type)} of ${r.subject}: ${name} refused: ${(e as Error).message}`, id: r.id };
  }
  app.load(true);
}
