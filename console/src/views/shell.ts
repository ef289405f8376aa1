// The frame of the page: who is signed in (decoded from the token, for display only), the views
// and whether the token's scopes allow each, and the current view.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { App } from '../app.ts';
import { VIEWS, type View } from '../route.ts';
import { allows } from '../session.ts';
import { needsScope } from './common.ts';
import { VIEW_SCOPES } from './load.ts';
import { signInView } from './signin.ts';
import { statusView } from './status.ts';
import { consentsView } from './consents.ts';
import { requestsView } from './requests.ts';
import { auditView } from './audit.ts';
import { breachesView } from './breaches.ts';
import { settingsView } from './settings.ts';

const TITLES: Record<View, string> = {
  status: 'Status',
  consents: 'Consents',
  requests: 'Requests',
  breaches: 'Breaches',
  audit: 'Audit log',
  settings: 'Settings',
};

const VIEW_RENDERERS: Record<View, (app: App) => TemplateResult> = {
  status: statusView,
  consents: consentsView,
  requests: requestsView,
  breaches: breachesView,
  audit: auditView,
  settings: settingsView,
};

export function shell(app: App): TemplateResult {
  const session = app.session;
  return html`
    <header class="top">
      <h1>PrivacyKit <span class="muted">console</span></h1>
      ${session
        ? html`<div class="who" data-tenant=${session.tenant ?? ''}>
            <span>tenant <strong>${session.tenant ?? '(none)'}</strong></span>
            <span class="muted">${session.subject ?? ''}</span>
            <span class="scopes">${session.scopes.map((s) => html`<code>${s}</code> `)}</span>
            ${session.expiresAt
              ? html`<span class=${session.expiresAt.getTime() < Date.now() ? 'chip level-bad' : 'muted'}
                  >${session.expiresAt.getTime() < Date.now() ? 'expired' : 'expires'} ${session.expiresAt.toLocaleTimeString()}</span
                >`
              : nothing}
            <button type="button" class="link" @click=${() => app.signOut()}>Sign out</button>
          </div>`
        : nothing}
    </header>
    ${session ? nav(app) : nothing}
    <main id="main" data-view=${session ? app.route.view : 'signin'}>${session ? current(app) : signInView(app)}</main>
  `;
}

function nav(app: App): TemplateResult {
  return html`<nav aria-label="Views">
    <ul>
      ${VIEWS.map((view) => {
        const scope = VIEW_SCOPES[view];
        const allowed = scope === null || allows(app.session, scope);
        return html`<li>
          <a href="#${view}" data-nav=${view} aria-current=${app.route.view === view ? 'page' : 'false'} class=${allowed ? '' : 'locked'}
            >${TITLES[view]}${allowed ? nothing : html` <small>(needs ${scope})</small>`}</a
          >
        </li>`;
      })}
    </ul>
  </nav>`;
}

function current(app: App): TemplateResult {
  const view = app.route.view;
  const scope = VIEW_SCOPES[view];
  const body = scope !== null && !allows(app.session, scope) ? needsScope(scope, app.session!) : VIEW_RENDERERS[view](app);
  return html`<h2>${TITLES[view]}</h2>
    ${body}`;
}
