import { useEffect, type RefObject } from 'react';

const FOCUSABLE =
  'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog's keyboard: Tab and Shift+Tab go round inside it, and when it closes the focus
 * goes back to what opened it (unless the closing code put it somewhere on purpose).
 */
export function useDialogFocus(dialog: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (element === null) return;
    const keepInside = (event: KeyboardEvent): void => {
      if (event.key !== 'Tab') return;
      const focusable = [...element.querySelectorAll<HTMLElement>(FOCUSABLE)];
      const first = focusable.at(0);
      const last = focusable.at(-1);
      if (first === undefined || last === undefined) return;
      const active = document.activeElement;
      if (event.shiftKey && (active === first || !element.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !element.contains(active))) {
        event.preventDefault();
        first.focus();
      }
    };
    element.addEventListener('keydown', keepInside);
    return () => {
      element.removeEventListener('keydown', keepInside);
      // Closed with the focus inside it: the dialog's elements are gone, so the page has it.
      const lost = document.activeElement === null || document.activeElement === document.body;
      if (lost && opener?.isConnected === true) opener.focus();
    };
  }, [dialog]);
}
