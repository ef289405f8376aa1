// The /v1 API on this origin, with the bearer token; RFC 9457 problems become ApiErrors.

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | null,
    readonly type: string | null,
  ) {
    super(`${status === 0 ? 'network error' : status} ${title}${detail ? `: ${detail}` : ''}`);
  }
}

export type Query = Record<string, string | number | undefined | null>;

export interface Api {
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  /** A document (an HTML report, say) as a Blob of the type the service answered. */
  blob(path: string, query: Query, accept: string): Promise<Blob>;
}

/** A client of the API at `base` (same origin by default) that sends `token()`. */
export function createApi(token: () => string | null, base = ''): Api {
  async function send(method: string, path: string, query?: Query, body?: unknown, accept = 'application/json'): Promise<Response> {
    const url = new URL(base + path, location.href);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = { Accept: accept };
    const bearer = token();
    if (bearer) headers['Authorization'] = `Bearer ${bearer}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(0, 'the service did not answer', (e as Error).message, null);
    }
    if (!response.ok) throw await problem(response);
    return response;
  }
  async function call<T>(method: string, path: string, query?: Query, body?: unknown): Promise<T> {
    return (await (await send(method, path, query, body)).json()) as T;
  }
  return {
    get: (path, query) => call('GET', path, query),
    post: (path, body) => call('POST', path, undefined, body ?? {}),
    blob: async (path, query, accept) => (await send('GET', path, query, undefined, accept)).blob(),
  };
}

async function problem(response: Response): Promise<ApiError> {
  let title = response.statusText || 'error';
  let detail: string | null = null;
  let type: string | null = null;
  try {
    const json = (await response.json()) as { title?: unknown; detail?: unknown; type?: unknown };
    if (typeof json.title === 'string') title = json.title;
    if (typeof json.detail === 'string') detail = json.detail;
    if (typeof json.type === 'string') type = json.type;
  } catch {
    // not problem+json: keep the status line
  }
  return new ApiError(response.status, title, detail, type);
}
