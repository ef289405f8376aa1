// Sign-in: paste a bearer token. It stays in this page's memory, or in this tab's sessionStorage
// when asked; never in localStorage, never in the URL.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { App } from '../app.ts';

export function signInView(app: App): TemplateResult {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const token = (form.elements.namedItem('token') as HTMLTextAreaElement).value;
    const remember = (form.elements.namedItem('remember') as HTMLInputElement).checked;
    app.signIn(token, remember);
  };
  return html`<form class="signin" @submit=${submit} autocomplete="off">
    <h2>Sign in</h2>
    <label for="token">Bearer token</label>
    <textarea id="token" name="token" rows="5" required spellcheck="false" placeholder="eyJhbGciOi…"></textarea>
    <label class="check"><input type="checkbox" name="remember" /> Keep it for this tab (sessionStorage; it is gone when the tab closes)</label>
    ${app.signInError ? html`<p class="problem" role="alert">${app.signInError}</p>` : nothing}
    <button type="submit">Sign in</button>
    <p class="muted">
      The token is sent only to this service, as <code>Authorization: Bearer</code>. What the console shows follows its tenant
      and scopes. In development mode, mint one with <code>java -jar privacykit.jar token mint --tenant demo</code>.
    </p>
  </form>`;
}
