/**
 * Keeps the newest output in view: while the visitor has not scrolled up, each update scrolls the page to the
 * anchor (an element placed after the output); once they scroll up, it stops and `following` turns false, so a
 * "jump to latest" control can offer the way back. Scrolling back to the bottom follows again.
 */
import { untrack } from 'svelte';

const NEAR_BOTTOM_PX = 96;

export interface Follow {
  readonly following: boolean;
  /** A Svelte action for the element that marks the end of the output. */
  anchor(node: HTMLElement): { destroy(): void };
  /** Call when the output grew. */
  update(): void;
  jump(): void;
}

function nearBottom(): boolean {
  const root = document.scrollingElement ?? document.documentElement;
  return root.scrollHeight - (root.scrollTop + window.innerHeight) < NEAR_BOTTOM_PX;
}

export function followNewest(): Follow {
  let following = $state(true);
  let end: HTMLElement | null = null;
  const onScroll = () => (following = nearBottom());
  // Instant, not smooth: a smooth scroll still running moves the controls under a click aimed at them.
  const scroll = () => end?.scrollIntoView({ block: 'end' });
  return {
    get following() {
      return following;
    },
    anchor(node) {
      end = node;
      window.addEventListener('scroll', onScroll, { passive: true });
      return {
        destroy() {
          window.removeEventListener('scroll', onScroll);
          end = null;
        },
      };
    },
    update() {
      // Read untracked: an effect calling this must rerun when the output grows, not when the visitor scrolls.
      if (untrack(() => following)) queueMicrotask(scroll);
    },
    jump() {
      following = true;
      scroll();
    },
  };
}
