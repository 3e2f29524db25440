import type { Page } from 'playwright-core';

/** The focused element's accessible name as a person hears it (aria-label, label, or text). */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || active === document.body) return '';
    const labelled = active.getAttribute('aria-labelledby');
    const label =
      active.getAttribute('aria-label') ??
      (labelled === null ? null : document.getElementById(labelled)?.textContent) ??
      ('labels' in active
        ? (active.labels as NodeListOf<HTMLLabelElement> | null)?.[0]?.textContent
        : null) ??
      active.textContent;
    return label.replace(/\s+/g, ' ').trim();
  });
}

/**
 * Presses Tab (or Shift+Tab) until the focus is on the control named `name`: the keyboard's
 * way to a control, whatever other controls lie between. Fails after `limit` presses.
 */
export async function tabTo(
  page: Page,
  name: string | RegExp,
  { backwards = false, limit = 40 }: { backwards?: boolean; limit?: number } = {},
): Promise<void> {
  const matches = (focused: string) =>
    typeof name === 'string' ? focused === name : name.test(focused);
  const seen: string[] = [];
  for (let press = 0; press < limit; press += 1) {
    const focused = await focusedName(page);
    if (matches(focused)) return;
    seen.push(focused);
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`the keyboard did not reach "${String(name)}"; it went: ${seen.join(' | ')}`);
}

/** The focused element's focus indicator: its outline style (`none` when it shows nothing). */
export function focusOutline(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement)) return 'none';
    const style = getComputedStyle(active);
    const shadow = style.boxShadow === 'none' ? '' : ' shadow';
    return style.outlineStyle === 'none' && shadow === ''
      ? 'none'
      : `${style.outlineWidth} ${style.outlineStyle}${shadow}`;
  });
}

/**
 * Every element that animates or transitions now (a non-zero duration with an animation name
 * or a transitioned property), as `tag.class: duration`; reduced motion wants none.
 */
export function movingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const moves = (durations: string) =>
      durations.split(',').some((duration) => Number.parseFloat(duration) > 0);
    const moving: string[] = [];
    for (const element of document.querySelectorAll('*')) {
      const style = getComputedStyle(element);
      const animated = style.animationName !== 'none' && moves(style.animationDuration);
      const transitioned = style.transitionProperty !== 'none' && moves(style.transitionDuration);
      if (animated || transitioned) {
        moving.push(
          `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}: ${
            animated ? style.animationDuration : style.transitionDuration
          }`,
        );
      }
    }
    return moving;
  });
}
