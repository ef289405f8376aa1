// Where the page is, in the URL's fragment: "#audit?subject=user-42&action=read". The fragment
// never reaches the server (its logs never see a filter), and back/forward/reload keep it.

export const VIEWS = ['status', 'consents', 'requests', 'breaches', 'audit', 'settings'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  params: Record<string, string>;
}

/** The route of a location fragment; an unknown view is the status view. */
export function parseRoute(hash: string): Route {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = text.indexOf('?');
  const name = q < 0 ? text : text.slice(0, q);
  const view = (VIEWS as readonly string[]).includes(name) ? (name as View) : 'status';
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(q < 0 ? '' : text.slice(q + 1))) {
    if (v !== '') params[k] = v;
  }
  return { view, params };
}

/** The fragment of a route (empty parameters left out, in a stable order). */
export function formatRoute(route: Route): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(route.params).sort()) {
    const value = route.params[key];
    if (value !== undefined && value !== '') query.set(key, value);
  }
  const q = query.toString();
  return `#${route.view}${q ? `?${q}` : ''}`;
}
