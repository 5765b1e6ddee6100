import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * "Copy link", as a Lit reactive controller: copies a link to the clipboard and says so for a few
 * seconds; only where the clipboard is refused does the link itself stay, in a field to select
 * and copy by hand.
 */
export class LinkShare implements ReactiveController {
  /** What the page shows: the confirmation, or the link to copy by hand. */
  shared: { readonly copied: boolean; readonly url: string } | undefined;
  private timer: number | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  async copy(url: string): Promise<void> {
    clearTimeout(this.timer);
    try {
      await navigator.clipboard.writeText(url);
      this.show({ copied: true, url });
      this.timer = window.setTimeout(() => this.show(undefined), 4000);
    } catch {
      this.show({ copied: false, url });
    }
  }

  private show(shared: LinkShare['shared']): void {
    this.shared = shared;
    this.host.requestUpdate();
  }
}
