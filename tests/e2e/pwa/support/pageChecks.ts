// These functions run in the browser (passed to Playwright's evaluate).

export interface ContrastProblem {
  text: string;
  ratio: number;
  colour: string;
  background: string;
}

/**
 * Every visible, enabled piece of text (and placeholder) whose contrast with the background
 * behind it is under `minimum` (WCAG AA: 4.5:1; applied to all sizes here, large text too).
 */
export function findLowContrastText(minimum: number): ContrastProblem[] {
  type Rgba = [number, number, number, number];
  const parse = (value: string): Rgba => {
    const parts =
      /rgba?\(([^)]+)\)/
        .exec(value)?.[1]
        ?.split(/[\s,/]+/)
        .filter(Boolean) ?? [];
    const [r = 0, g = 0, b = 0, a = 1] = parts.map(Number);
    return [r, g, b, a];
  };
  const over = (top: Rgba, bottom: Rgba): Rgba => {
    const a = top[3];
    return [
      top[0] * a + bottom[0] * (1 - a),
      top[1] * a + bottom[1] * (1 - a),
      top[2] * a + bottom[2] * (1 - a),
      1,
    ];
  };
  const backgroundOf = (element: Element | null): Rgba => {
    const layers: Rgba[] = [];
    for (let node = element; node !== null; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    return layers.reduceRight<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const luminance = ([r, g, b]: Rgba): number => {
    const channel = (value: number) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const ratioOf = (fg: Rgba, bg: Rgba): number => {
    const [light, dark] = [luminance(fg), luminance(bg)].sort((x, y) => y - x) as [number, number];
    return (light + 0.05) / (dark + 0.05);
  };
  const visible = (element: Element): boolean => {
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) return false;
    const style = getComputedStyle(element);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  const problems: ContrastProblem[] = [];
  const check = (element: Element, text: string, colourValue: string): void => {
    const background = backgroundOf(element);
    const colour = over(parse(colourValue), background);
    const ratio = ratioOf(colour, background);
    if (ratio < minimum) {
      problems.push({
        text: text.slice(0, 60),
        ratio: Math.round(ratio * 100) / 100,
        colour: colourValue,
        background: `rgb(${background.slice(0, 3).map(Math.round).join(', ')})`,
      });
    }
  };
  for (const element of document.body.querySelectorAll('*')) {
    if (!visible(element) || element.closest(':disabled') !== null) continue;
    const ownText = [...element.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent ?? '')
      .join('')
      .trim();
    if (ownText !== '') check(element, ownText, getComputedStyle(element).color);
    if (
      (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) &&
      element.value === '' &&
      element.placeholder !== ''
    ) {
      check(element, element.placeholder, getComputedStyle(element, '::placeholder').color);
    }
  }
  return problems;
}

/** Form controls and buttons without an accessible name (a label, aria-label or text). */
export function findUnlabelledControls(): string[] {
  const unnamed: string[] = [];
  for (const control of document.querySelectorAll('button, input, textarea, select')) {
    if (!(control instanceof HTMLElement)) continue;
    const labels = 'labels' in control ? (control.labels as NodeListOf<HTMLLabelElement>) : null;
    const named =
      (control.getAttribute('aria-label') ?? '').trim() !== '' ||
      control.getAttribute('aria-labelledby') !== null ||
      (labels !== null && labels.length > 0) ||
      control.textContent.trim() !== '';
    if (!named) unnamed.push(control.outerHTML.slice(0, 80));
  }
  return unnamed;
}

/** How the focused element shows its focus. */
export function focusIndicator(): { tag: string; name: string; outline: string } {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement)) return { tag: 'none', name: '', outline: 'none' };
  const style = getComputedStyle(active);
  return {
    tag: active.tagName.toLowerCase(),
    name: (active.getAttribute('aria-label') ?? active.textContent).trim(),
    outline: style.outlineStyle === 'none' ? 'none' : `${style.outlineWidth} ${style.outlineStyle}`,
  };
}

/** The page scrolls sideways (content wider than the screen). */
export function overflowsSideways(): boolean {
  return document.documentElement.scrollWidth > document.documentElement.clientWidth;
}
