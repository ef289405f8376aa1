// Injected fetch for unit tests: answers from a handler, records every call.
export function fakeFetch(handler) {
  const calls = [];
  const fn = async (url, init) => {
    const call = { url: new URL(url), init, body: init.body ? JSON.parse(init.body) : undefined, headers: init.headers };
    calls.push(call);
    const answer = await handler(call, calls.length);
    if (answer instanceof Error) throw answer;
    if (answer instanceof Response) return answer;
    const { status = 200, body = {}, headers = {} } = answer ?? {};
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
    });
  };
  fn.calls = calls;
  return fn;
}

export function checkAnswer(subject, purposes, allowed = true) {
  return {
    body: {
      subject,
      allowed,
      results: Object.fromEntries(purposes.map((p) => [p, { allowed, reason: allowed ? 'consent_valid' : 'no_consent', detail: '' }])),
    },
  };
}

export const deferred = () => {
  let resolve, reject;
  const promise = new Promise((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
};

export async function waitFor(predicate, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
