import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PlaygroundState } from './state.js';
import { decodeState, encodeState } from './url-codec.js';

/** What the URL sync needs from its host. */
export interface UrlSyncHost extends ReactiveControllerHost {
  /** Leave location.hash alone. */
  readonly noUrl: boolean;
}

export interface UrlSyncEvents {
  /** The state to write. */
  state(): PlaygroundState;
  /** A valid link's state (`initial`: the page was opened with it; else the hash changed). */
  apply(state: PlaygroundState, initial: boolean): void;
  /** A link that cannot be used, with what is wrong (its first few problems), the state kept. */
  refuse(problems: string, initial: boolean): void;
}

/**
 * Keeps the address bar's hash and the playground's state in step, as a Lit reactive controller:
 * reads the hash on connect and on every `hashchange` (applied only if valid as a whole), and
 * writes the state back with replaceState (no history entries), at most every 150 ms, as
 * browsers throttle replaceState while a slider is dragged.
 */
export class UrlSync implements ReactiveController {
  private timer: number | undefined;
  /** The hash last read or written here: any other hash in the address bar was typed since. */
  private known: string | undefined;

  constructor(
    private readonly host: UrlSyncHost,
    private readonly events: UrlSyncEvents,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.host.noUrl) return;
    window.addEventListener('hashchange', this.onHashChange);
    if (location.hash.length > 1) this.read(location.hash, true);
    else this.write(true);
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.onHashChange);
    clearTimeout(this.timer);
  }

  /** Puts the state in the address bar, now or within 150 ms. */
  write(immediate = false): void {
    if (this.host.noUrl) return;
    clearTimeout(this.timer);
    const write = (): void => {
      this.timer = undefined;
      // A hash typed since the last read: its hashchange event is on its way; never overwrite it.
      if (this.known !== undefined && location.hash !== this.known) return;
      const hash = `#${encodeState(this.events.state())}`;
      if (location.hash !== hash) history.replaceState(history.state, '', hash);
      this.known = hash;
    };
    if (immediate) write();
    else this.timer = window.setTimeout(write, 150);
  }

  /** The link of the current state (also written to the address bar, unless `noUrl`). */
  link(): string {
    this.write(true);
    const url = new URL(location.href);
    url.hash = encodeState(this.events.state());
    return url.href;
  }

  private readonly onHashChange = (): void => {
    this.known = location.hash;
    if (location.hash === `#${encodeState(this.events.state())}`) return;
    this.read(location.hash, false);
  };

  private read(hash: string, initial: boolean): void {
    this.known = hash;
    const result = decodeState(hash);
    if (result.ok) {
      this.events.apply(result.state, initial);
      return;
    }
    const shown = result.errors.slice(0, 3).join('; ') + (result.errors.length > 3 ? `; and ${result.errors.length - 3} more` : '');
    this.events.refuse(shown, initial);
    this.write(true);
  }
}
