// The checkpoint verifier key the operator pinned: kept for this tab (sessionStorage), never taken
// from the server without the operator pasting it.

const KEY = 'privacykit.console.verifier-key';

export function loadPinnedKey(): string {
  try {
    return sessionStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function savePinnedKey(key: string): void {
  try {
    if (key === '') sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, key);
  } catch {
    // storage disabled: pinned for this page only
  }
}
