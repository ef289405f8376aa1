// The breach register (GET /v1/incidents, incidents:manage): incidents by their most urgent clock,
// a badge per clock (authority, principals, and under DPDP the detailed report) that says overdue
// in words and colour, and the report drafts: JSON shown here, JSON and HTML saved as files.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { App } from '../app.ts';
import { byUrgency, incidentClocks, type Clock } from '../levels.ts';
import { Resource } from '../resource.ts';
import type { Incident, IncidentReport } from '../types.ts';
import { levelChip, loadState, problem, when } from './common.ts';
import { downloadButton, downloadProblem, safeName } from './download.ts';

export function breachesView(app: App): TemplateResult {
  const now = Date.now();
  const incidents = app.incidents.value ? byUrgency(app.incidents.value, now) : null;
  return html`
    <div class="toolbar">
      <button type="button" @click=${() => app.load(true)}>Refresh</button>
      <span class="muted"
        >Incidents by their most urgent clock. The authority is due 72 hours after the breach became known, the
        affected principals at once, and under DPDP the detailed report 72 hours after too.</span
      >
    </div>
    ${downloadProblem(app, 'incidents:manage')}
    ${loadState(app.incidents, 'incidents:manage', 'the breach register (GET /v1/incidents)')}
    ${incidents && incidents.length === 0 ? html`<p class="muted" data-empty>No incidents recorded.</p>` : nothing}
    ${incidents && incidents.length > 0
      ? html`<table class="incidents">
          <thead>
            <tr>
              <th scope="col">Detected</th><th scope="col">Status</th><th scope="col">Regime</th><th scope="col">Nature</th>
              <th scope="col">Clocks</th><th scope="col">Principals</th><th scope="col">Drafts</th>
            </tr>
          </thead>
          <tbody>
            ${incidents.map((i) => row(app, i, now))}
          </tbody>
        </table>`
      : nothing}
  `;
}

function row(app: App, i: Incident, now: number): TemplateResult {
  const clocks = incidentClocks(i, now);
  const draft = app.drafts.get(i.id);
  return html`<tr data-incident-id=${i.id} data-overdue=${i.overdue.join(' ')}>
      <td>${when(i.detected_at)}${i.source !== 'manual' ? html`<br /><small class="muted">raised by ${i.source.replaceAll('_', ' ')}</small>` : nothing}</td>
      <td>${i.status.toLowerCase()}</td>
      <td>${i.regime}</td>
      <td class="nature">${i.details.nature}</td>
      <td><ul class="clocks">${clocks.map(clockBadge)}</ul></td>
      <td>${i.principals} attached<br /><small class="muted">${i.notices} notified, ${i.delivered} delivered</small></td>
      <td class="actions">${drafts(app, i)}</td>
    </tr>
    ${draft ? html`<tr class="draft-row" data-draft-for=${i.id}><td colspan="7">${draftView(draft)}</td></tr>` : nothing}`;
}

function clockBadge(c: Clock): TemplateResult {
  return html`<li class="badge level-${c.level}" data-clock=${c.name} data-state=${c.state} title="due ${c.dueAt}">
    ${c.state === 'overdue' ? html`<strong>${c.label} overdue</strong> ` : html`${c.label}: `}${levelChip(c.level)}
    <span class="clock-text">${c.state === 'overdue' ? c.text.replace(/^overdue ?/, '') : c.text}${c.doneAt ? html` ${when(c.doneAt)}` : nothing}</span>
  </li>`;
}

function drafts(app: App, i: Incident): TemplateResult {
  const show = () => {
    const shown = app.drafts.get(i.id);
    if (shown && shown.state !== 'error') {
      app.drafts.delete(i.id);
      app.update();
      return;
    }
    const resource = new Resource<IncidentReport>();
    app.drafts.set(i.id, resource);
    void resource.load(i.id, () => app.api.get<IncidentReport>(`/v1/incidents/${encodeURIComponent(i.id)}/report`, { format: 'json' }), () => app.update(), true);
  };
  const file = (format: 'json' | 'html') => ({
    what: `the report draft (GET /v1/incidents/{id}/report?format=${format})`,
    path: `/v1/incidents/${encodeURIComponent(i.id)}/report`,
    query: { format },
    accept: format === 'html' ? ('text/html' as const) : ('application/json' as const),
    filename: `incident-${safeName(i.id)}-draft.${format}`,
    scope: 'incidents:manage',
  });
  return html`<button type="button" data-action="show-draft" aria-expanded=${app.drafts.has(i.id) ? 'true' : 'false'} @click=${show}>Show draft</button>
    ${downloadButton(app, 'Save JSON', file('json'), { name: 'draft-json' })} ${downloadButton(app, 'Save HTML', file('html'), { name: 'draft-html' })}`;
}

function draftView(draft: Resource<IncidentReport>): TemplateResult {
  if (draft.state === 'error' && draft.error) return problem(draft.error, 'incidents:manage', 'the report draft');
  const report = draft.value;
  if (!report) return html`<p class="muted">Loading the draft…</p>`;
  return html`<section class="draft" data-report-for=${report.incident_id}>
    <h3>${report.title}</h3>
    <p class="muted">Generated ${when(report.generated_at)}. Fields not known yet say so; fill them in with the update step.</p>
    ${report.sections.map(
      (section) => html`<table class="draft-section">
        <caption>${section.provision}: ${section.title}</caption>
        <tbody>
          ${section.fields.map(
            (f) => html`<tr data-field=${f.key}>
              <th scope="row">${f.label}</th>
              <td>${f.value === null ? html`<span class="missing">not yet known</span>` : f.value}</td>
            </tr>`,
          )}
        </tbody>
      </table>`,
    )}
  </section>`;
}
