// One thing the page loads from the API: its state, and the key (view parameters) it was loaded
// for, so that a slow answer for old parameters never overwrites a newer one.

export type LoadState = 'idle' | 'loading' | 'ok' | 'error';

export class Resource<T> {
  state: LoadState = 'idle';
  value: T | null = null;
  error: Error | null = null;
  private key: string | null = null;

  /** Loads for `key` unless it is already loaded or loading (or `force`); calls `changed` on each change. */
  async load(key: string, fetch: () => Promise<T>, changed: () => void, force = false): Promise<void> {
    if (!force && this.key === key && this.state !== 'idle' && this.state !== 'error') return;
    // Other parameters: what was shown no longer answers them. The same ones again: keep it
    // on screen until the fresh answer replaces it.
    if (this.key !== key) this.value = null;
    this.key = key;
    this.state = 'loading';
    this.error = null;
    changed();
    try {
      const value = await fetch();
      if (this.key !== key) return;
      this.value = value;
      this.state = 'ok';
    } catch (e) {
      if (this.key !== key) return;
      this.error = e as Error;
      this.state = 'error';
    }
    changed();
  }

  /** Forgets what was loaded (on sign-out). */
  reset(): void {
    this.state = 'idle';
    this.value = null;
    this.error = null;
    this.key = null;
  }
}
