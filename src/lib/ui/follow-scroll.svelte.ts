/**
 * Keeps the newest output in view: while the visitor has not scrolled away, each update scrolls the page so the
 * anchor (an element placed after the output) is at the bottom of the window; once they scroll away, it stops and
 * `following` turns false, so a "jump to latest" control can offer the way back. Scrolling back to the anchor
 * follows again. Content may go on below the anchor (the environment state under a trace on a phone).
 */
import { tick, untrack } from 'svelte';
import { refocus } from './focus';

const NEAR_PX = 96;

export interface Follow {
  readonly following: boolean;
  /** A Svelte action for the element that marks the end of the output. */
  anchor(node: HTMLElement): { destroy(): void };
  /** Call when the output grew. */
  update(): void;
  jump(): void;
}

const scrollTop = () => (document.scrollingElement ?? document.documentElement).scrollTop;

export function followNewest(): Follow {
  let following = $state(true);
  let end: HTMLElement | null = null;
  /** Where the page was left by this module's own scrolling: any other position is the visitor's doing. */
  let ownTop = 0;
  const endInView = () => {
    const bottom = end?.getBoundingClientRect().bottom ?? 0;
    return bottom >= 0 && bottom <= window.innerHeight + NEAR_PX;
  };
  const movedByVisitor = () => Math.abs(scrollTop() - ownTop) > 2;
  const onScroll = () => {
    if (endInView()) {
      // At the end (scrolled back, or never away): follow from here.
      following = true;
      ownTop = scrollTop();
    } else if (movedByVisitor()) following = false;
  };
  // Instant, not smooth: a smooth scroll still running moves the controls under a click aimed at them.
  const scroll = () => {
    end?.scrollIntoView({ block: 'end' });
    ownTop = scrollTop();
  };
  return {
    get following() {
      return following;
    },
    anchor(node) {
      end = node;
      ownTop = scrollTop();
      // Focusable from script only: where a keyboard user lands after "jump to latest" (the control goes away).
      node.tabIndex = -1;
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
      if (!untrack(() => following)) return;
      // The visitor's scroll may not have reached `onScroll` yet (its event comes with the next frame).
      if (movedByVisitor() && !endInView()) following = false;
      else queueMicrotask(scroll);
    },
    jump() {
      following = true;
      scroll();
      void tick().then(() => refocus(end));
    },
  };
}
