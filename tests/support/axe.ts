import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export type ColourScheme = 'light' | 'dark';

/** Both schemes: every screen is checked as the system shows it by day and by night. */
export const COLOUR_SCHEMES: readonly ColourScheme[] = ['light', 'dark'];

/** The axe violations that fail a screen: serious and critical (WCAG A/AA and best practice). */
export async function seriousViolations(page: Page, rules?: readonly string[]): Promise<string[]> {
  // Legacy mode runs axe in the page itself, without opening a blank page per check (about
  // 0.3 s each); the apps have no iframes, which is what the newer mode is for.
  const builder = new AxeBuilder({ page }).setLegacyMode(true);
  if (rules !== undefined) builder.withRules([...rules]);
  const results = await builder.analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) =>
      [
        `${violation.impact ?? ''} ${violation.id}: ${violation.help}`,
        ...violation.nodes.map(
          (node) =>
            `  at ${node.target.join(' ')}\n    ${node.failureSummary?.replaceAll('\n', '\n    ') ?? ''}`,
        ),
      ].join('\n'),
    );
}

/** What the colour scheme changes: in the dark scheme only these rules are run again. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * Runs axe on what `page` shows now: every rule in the light colour scheme, the colour rules in
 * the dark one (the rest does not depend on colours, and a full run costs about a second).
 * Fails with the violations written out (rule, element, why) when any is serious or critical.
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const found: string[] = [];
  for (const colorScheme of COLOUR_SCHEMES) {
    await page.emulateMedia({ colorScheme });
    const rules = colorScheme === 'light' ? undefined : COLOUR_RULES;
    for (const violation of await seriousViolations(page, rules)) {
      found.push(`[${where}, ${colorScheme}] ${violation}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  expect(found, `axe found serious or critical violations:\n${found.join('\n')}`).toEqual([]);
}
