// The page's state and its render loop: who is signed in, where the page is (the URL fragment),
// what each view loaded, and the proofs run in this tab. Views read it and call its methods.
import { render } from 'lit-html';
import { createApi, type Api } from './api.ts';
import { Resource } from './resource.ts';
import { formatRoute, parseRoute, type Route } from './route.ts';
import { keepToken, restoreToken, sessionOf, type Session } from './session.ts';
import { loadPinnedKey, savePinnedKey } from './pinned-key.ts';
import type { ProofReport } from './proof/prove.ts';
import type { AuditPage, ConsentStats, Incident, IncidentReport, RequestView, Status } from './types.ts';
import { shell } from './views/shell.ts';
import { loadView } from './views/load.ts';

export class App {
  session: Session | null = null;
  signInError: string | null = null;
  route: Route = parseRoute(location.hash);
  pinnedKey = loadPinnedKey();
  readonly api: Api = createApi(() => this.session?.token ?? null);

  readonly status = new Resource<Status>();
  readonly stats = new Resource<ConsentStats>();
  readonly requests = new Resource<RequestView[]>();
  /** The request opened by id (#requests?id=...), with its history. */
  readonly requestDetail = new Resource<RequestView>();
  readonly incidents = new Resource<Incident[]>();
  readonly audit = new Resource<AuditPage>();
  /** Report drafts (JSON) shown under their incident, by incident id. */
  readonly drafts = new Map<string, Resource<IncidentReport>>();
  /** The outcome of the last download (a report as a file), when it failed. */
  downloadProblem: { what: string; error: Error } | null = null;
  /** Proof reports by seq: 'running' while one runs. */
  readonly proofs = new Map<number, ProofReport | 'running'>();
  /** The request whose inline form (extend, fulfil, deny, lift) is open, and the last action's outcome. */
  requestForm: { id: string; step: 'extend' | 'fulfil' | 'deny' | 'lift' } | null = null;
  requestMessage: { level: 'ok' | 'bad'; text: string; id?: string } | null = null;
  /** Settings: the pinned key's check, and the key the server announced when asked. */
  pinnedCheck: { text: string; result: string; ok: boolean } | null = null;
  announcedKey: { key: string } | { error: Error } | null = null;

  private scheduled = false;

  constructor(private readonly root: HTMLElement) {}

  start(): void {
    const kept = restoreToken();
    if (kept) {
      const session = sessionOf(kept);
      if (session instanceof Error) keepToken(null);
      else this.session = session;
    }
    addEventListener('hashchange', () => {
      this.route = parseRoute(location.hash);
      this.proofs.clear();
      this.requestForm = null;
      this.downloadProblem = null;
      this.load();
    });
    this.load();
  }

  /** Renders on the next frame (several changes, one render). */
  update(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      render(shell(this), this.root);
    });
  }

  /** Loads what the current view needs, then renders. */
  load(force = false): void {
    this.update();
    if (this.session) void loadView(this, force);
  }

  /** Goes to a route: a new history entry, so back and forward walk the filters. */
  navigate(route: Route): void {
    const hash = formatRoute(route);
    if (hash === location.hash) this.load(true);
    else location.hash = hash;
  }

  signIn(token: string, remember: boolean): void {
    const session = sessionOf(token);
    if (session instanceof Error) {
      this.signInError = session.message;
      this.update();
      return;
    }
    this.signInError = null;
    this.session = session;
    keepToken(remember ? session.token : null);
    this.load(true);
  }

  signOut(): void {
    this.session = null;
    keepToken(null);
    for (const r of [this.status, this.stats, this.requests, this.requestDetail, this.incidents, this.audit]) r.reset();
    this.drafts.clear();
    this.downloadProblem = null;
    this.proofs.clear();
    this.requestForm = null;
    this.requestMessage = null;
    this.announcedKey = null;
    this.update();
  }

  pinKey(key: string): void {
    this.pinnedKey = key.trim();
    savePinnedKey(this.pinnedKey);
    this.proofs.clear();
    this.update();
  }
}
