// Where the browser tests load the page from. 'jar': the service's own /console/ (what users get).
// 'proxy': dist/ served by the test with the service's CSP and /v1 proxied to the jar, for a jar
// that does not serve the console yet. One line to switch; PRIVACYKIT_CONSOLE_FROM overrides it.
export const SERVE_FROM: 'jar' | 'proxy' = (process.env['PRIVACYKIT_CONSOLE_FROM'] as 'jar' | 'proxy' | undefined) ?? 'jar';

/** The CSP the service sends with the console (the proxy sends the same). */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
