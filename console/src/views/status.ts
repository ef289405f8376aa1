// Status tiles from GET /v1/status: each a number or word, its state in colour and in words.
import { html, type TemplateResult } from 'lit-html';
import type { App } from '../app.ts';
import { statusTiles } from '../levels.ts';
import { levelChip, loadState, when } from './common.ts';
import { recordsOfProcessing } from './download.ts';

export function statusView(app: App): TemplateResult {
  const status = app.status.value;
  return html`
    <div class="toolbar">
      <button type="button" @click=${() => app.load(true)}>Refresh</button>
      ${status ? html`<span class="muted">as of ${when(status.generated_at)}</span>` : ''}
      ${recordsOfProcessing(app)}
    </div>
    ${loadState(app.status, 'audit:read', 'the status (GET /v1/status)')}
    ${status
      ? html`<div class="tiles">
          ${statusTiles(status).map(
            (tile) => html`<section class="tile level-${tile.level}" data-tile=${tile.id} data-level=${tile.level} data-value=${tile.value}>
              <h3>${tile.label}</h3>
              <p class="value">${tile.value}</p>
              <p class="note">${levelChip(tile.level)} ${tile.note}</p>
            </section>`,
          )}
        </div>`
      : ''}
  `;
}
