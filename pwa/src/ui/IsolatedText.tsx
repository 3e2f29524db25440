import { Fragment } from 'react';
import { ISOLATE_END, ISOLATE_START } from '@callcenter/shared';

const ISOLATED_PART = new RegExp(`${ISOLATE_START}([^${ISOLATE_END}]*)${ISOLATE_END}`, 'g');

/**
 * Shows a sentence built with `isolateBidi` (a name inside our words): each isolated part
 * becomes a `<bdi>`, so it cannot reorder the words around it and no invisible characters end up
 * in the page (copy, find, and tests see plain text).
 */
export function IsolatedText({ text }: { text: string }) {
  const parts = text.split(ISOLATED_PART);
  // split with one capture group: even indexes are our words, odd ones the isolated parts.
  return parts.map((part, index) =>
    index % 2 === 1 ? <bdi key={index}>{part}</bdi> : <Fragment key={index}>{part}</Fragment>,
  );
}
