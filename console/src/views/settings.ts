// Settings: the checkpoint verifier key proofs are checked against. The operator pastes the key
// they got out of band (`privacykit audit checkpoint` prints it on the service's host); the server's own
// claim is shown for comparison and never pinned by itself.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { App } from '../app.ts';
import { parseVerifierKey } from '../proof/note.ts';
import { toHex } from '../proof/bytes.ts';
import { allows } from '../session.ts';
import { problem } from './common.ts';
import type { CheckpointView } from '../proof/prove.ts';

export function settingsView(app: App): TemplateResult {
  const pinnedCheck = app.pinnedCheck;
  const announced = app.announcedKey;
  if (pinnedCheck?.text !== app.pinnedKey) void checkPinned(app);
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    app.pinKey(String(data.get('key') ?? ''));
  };
  const fetchAnnounced = async () => {
    try {
      app.announcedKey = { key: (await app.api.get<CheckpointView>('/v1/audit/checkpoint')).verifier_key };
    } catch (e) {
      app.announcedKey = { error: e as Error };
    }
    app.update();
  };
  return html`
    <form class="settings" @submit=${save}>
      <label for="verifier-key">Pinned checkpoint verifier key</label>
      <input id="verifier-key" name="key" .value=${app.pinnedKey} spellcheck="false" autocomplete="off"
        placeholder="audit.example.com/log+1a2b3c4d+AQ…" />
      <p class="muted">
        The form is <code>name+keyid+base64(0x01 ‖ Ed25519 public key)</code> (a C2SP signed-note verifier key). Get it out of
        band, from whoever runs the service; it is kept for this tab only (sessionStorage).
      </p>
      <div class="buttons">
        <button type="submit">Pin</button>
        <button type="button" class="link" @click=${() => app.pinKey('')}>Unpin</button>
      </div>
    </form>
    <p data-pinned-state=${app.pinnedKey ? (pinnedCheck?.ok ? 'valid' : 'invalid') : 'none'}>
      ${app.pinnedKey ? (pinnedCheck ? pinnedCheck.result : 'checking…') : html`<strong>Not pinned: cannot prove.</strong> Verification shows the hashes but cannot prove the checkpoint is genuine.`}
    </p>
    <section class="announced">
      <h3>The key the server announces</h3>
      ${allows(app.session, 'audit:read')
        ? html`<button type="button" @click=${fetchAnnounced}>Fetch GET /v1/audit/checkpoint</button>`
        : html`<p class="muted">Needs the scope <code>audit:read</code>.</p>`}
      ${announced && 'key' in announced
        ? html`<p><code class="wrap">${announced.key}</code></p>
            <p data-announced-match=${announced.key === app.pinnedKey ? 'same' : 'different'}>
              ${announced.key === app.pinnedKey
                ? 'It is the pinned key.'
                : app.pinnedKey
                  ? 'It is NOT the pinned key: proofs are checked against the pinned one only.'
                  : 'Compare it with the key you got out of band before pinning it; the console never pins it by itself.'}
            </p>`
        : nothing}
      ${announced && 'error' in announced ? problem(announced.error, 'audit:read', 'the checkpoint (GET /v1/audit/checkpoint)') : nothing}
    </section>
  `;
}

async function checkPinned(app: App): Promise<void> {
  const text = app.pinnedKey;
  if (text === '') {
    app.pinnedCheck = { text, result: '', ok: false };
    return;
  }
  app.pinnedCheck = { text, result: 'checking…', ok: false };
  try {
    const key = await parseVerifierKey(text);
    app.pinnedCheck = { text, result: `Pinned: ${key.name}, Ed25519, key id ${toHex(key.keyId)}.`, ok: true };
  } catch (e) {
    app.pinnedCheck = { text, result: `The pinned key is unusable: ${(e as Error).message}`, ok: false };
  }
  app.update();
}
