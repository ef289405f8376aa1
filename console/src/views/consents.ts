// Consent over time per purpose (GET /v1/consents/stats): a chart and the numbers behind it, with
// the rate given ÷ decided (decided = given + refused) for the range. The range is in the URL.
import { html, type TemplateResult } from 'lit-html';
import { ref } from 'lit-html/directives/ref.js';
import type { App } from '../app.ts';
import { consentRate, percent } from '../levels.ts';
import type { PurposeSeries } from '../types.ts';
import { mountChart, SERIES } from './chart.ts';
import { loadState } from './common.ts';
import { RANGES, rangeDays } from './load.ts';

export function consentsView(app: App): TemplateResult {
  const days = rangeDays(app.route.params);
  const stats = app.stats.value;
  return html`
    <div class="toolbar" role="group" aria-label="Range">
      ${RANGES.map(
        (n) => html`<a class="button" href="#consents?days=${n}" data-range=${n} aria-current=${n === days ? 'true' : 'false'}>${n} days</a>`,
      )}
      ${stats ? html`<span class="muted">${stats.from} to ${stats.to} (UTC days)</span>` : ''}
    </div>
    ${loadState(app.stats, 'consents:read', 'consent statistics (GET /v1/consents/stats)')}
    ${stats ? purposes(stats.purposes) : ''}
  `;
}

/** A card per purpose with changes in the range; the quiet ones named in one line. */
function purposes(all: PurposeSeries[]): TemplateResult {
  const active = all.filter((p) => p.series.some((d) => d.given + d.refused + d.withdrawn + d.expired > 0));
  const quiet = all.filter((p) => !active.includes(p));
  return html`${active.length === 0 ? html`<p class="muted">No consent changes in this range.</p>` : ''}
    <div class="purposes">${active.map(purposeCard)}</div>
    ${quiet.length > 0
      ? html`<p class="muted quiet">No changes in this range: ${quiet.map((p, i) => html`${i ? ', ' : ''}<code data-purpose-quiet=${p.purpose}>${p.purpose}</code>`)}.</p>`
      : ''}`;
}

function purposeCard(p: PurposeSeries): TemplateResult {
  const total = (key: (typeof SERIES)[number]['key']) => p.series.reduce((n, d) => n + d[key], 0);
  const totals = { given: total('given'), refused: total('refused'), withdrawn: total('withdrawn'), expired: total('expired') };
  const rate = consentRate(totals.given, totals.refused);
  return html`<section
    class="purpose"
    data-purpose=${p.purpose}
    data-given=${totals.given}
    data-refused=${totals.refused}
    data-withdrawn=${totals.withdrawn}
    data-expired=${totals.expired}
    data-rate=${rate === null ? '' : rate.toFixed(4)}
  >
    <h3><code>${p.purpose}</code></h3>
    <p class="rate">
      <span class="value">${percent(rate)}</span> opt-in rate
      <span class="muted">(${totals.given} given of ${totals.given + totals.refused} decided)</span>
    </p>
    <ul class="totals">
      ${SERIES.map((s) => html`<li><span class="swatch swatch-${s.key}"></span>${s.label} <strong>${totals[s.key]}</strong></li>`)}
    </ul>
    <div class="chart" role="img" aria-label="Daily consent changes for ${p.purpose}; the table below has the numbers"
      ${ref((el) => mountChart(el, p.purpose, p.series))}></div>
    <details>
      <summary>Daily numbers</summary>
      <table class="numbers">
        <caption>Consent changes per UTC day for ${p.purpose}</caption>
        <thead><tr><th scope="col">day</th>${SERIES.map((s) => html`<th scope="col">${s.label}</th>`)}</tr></thead>
        <tbody>
          ${p.series.map(
            (d) => html`<tr data-day=${d.day}><th scope="row">${d.day}</th>${SERIES.map((s) => html`<td>${d[s.key]}</td>`)}</tr>`,
          )}
        </tbody>
      </table>
    </details>
  </section>`;
}
