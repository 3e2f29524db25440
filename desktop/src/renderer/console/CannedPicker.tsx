import { useTranslation } from 'react-i18next';
import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { useStore } from 'zustand';
import type { CannedReply, CustomerInfo } from '@callcenter/shared';
import { cannedQueryOf, fillCannedReply, matchCannedReplies } from '@callcenter/client';
import { useAgent, useAgentClient } from '../hooks/agentClientContext';
import { describeError } from '../agent/errorText';
import { CannedRepliesDialog } from './CannedRepliesDialog';

interface ComposerLink {
  draft: string;
  setDraft: (text: string) => void;
  customerId: string;
  customerName: string;
  input: RefObject<HTMLTextAreaElement | null>;
}

/** What the composer's text box gets while the list is open (the ARIA combobox pattern). */
type ComboboxProps =
  | {
      role: 'combobox';
      'aria-expanded': true;
      'aria-controls': string;
      'aria-autocomplete': 'list';
      'aria-activedescendant': string | undefined;
    }
  | Record<string, never>;

export interface CannedPickerLink {
  /** The composer's key handler asks first: true when the list used the key. */
  onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  inputProps: ComboboxProps;
  /** The list (while open) and the dialog to manage the agent's own replies. */
  picker: ReactNode;
}

/** The customer of the conversation with `customerId`, as the agent's state knows it. */
function useCustomerOf(customerId: string): CustomerInfo | null {
  return useAgent((snapshot) => {
    const state = snapshot.context.agentState;
    const held = state?.conversations.find((c) => c.customer.id === customerId)?.customer;
    return held ?? (state?.customer?.id === customerId ? state.customer : null);
  });
}

/**
 * Canned replies in the composer: typing `/` at the start opens a list of the replies whose
 * shortcut or title match what follows; arrows move, Enter or a click picks, Escape closes.
 * Picking replaces the composer's text with the reply, its placeholders filled in for this
 * conversation's customer and this agent; the agent then edits or sends it.
 */
export function useCannedPicker({
  draft,
  setDraft,
  customerId,
  customerName,
  input,
}: ComposerLink): CannedPickerLink {
  const { t } = useTranslation();
  const client = useAgentClient();
  const { replies, status, error } = useStore(client.canned.store);
  const agentName = useAgent((snapshot) => snapshot.context.session?.user.displayName ?? null);
  const customer = useCustomerOf(customerId);
  const listId = useId();
  const [active, setActive] = useState(0);
  /** The text the list was closed at (Escape, a pick): it stays closed until the text changes. */
  const [closedAt, setClosedAt] = useState<string | null>(null);
  const [managing, setManaging] = useState(false);
  const caretToEnd = useRef(false);

  const query = cannedQueryOf(draft);
  const open = query !== null && draft !== closedAt && !managing;
  const matches = useMemo(
    () => (query === null ? [] : matchCannedReplies(replies, query)),
    [replies, query],
  );
  const activeIndex = Math.min(active, Math.max(matches.length - 1, 0));
  const optionId = (index: number): string => `${listId}-option-${index}`;

  useEffect(() => {
    if (open) client.canned.ensureLoaded();
  }, [open, client]);
  useEffect(() => {
    setActive(0);
  }, [query]);
  useEffect(() => {
    if (!caretToEnd.current) return;
    caretToEnd.current = false;
    const element = input.current;
    if (!element) return;
    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);
  }, [draft, input]);
  useEffect(() => {
    document.getElementById(optionId(activeIndex))?.scrollIntoView({ block: 'nearest' });
  });

  const fill = (reply: CannedReply): string =>
    fillCannedReply(reply.text, {
      customer: customer
        ? { displayName: customer.displayName, tier: customer.profile.tier }
        : { displayName: customerName },
      agent: agentName === null ? null : { displayName: agentName },
    });
  const pick = (reply: CannedReply): void => {
    const text = fill(reply);
    caretToEnd.current = true;
    setClosedAt(text);
    setDraft(text);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open || event.nativeEvent.isComposing) return false;
    const count = matches.length;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (count === 0) return false;
        event.preventDefault();
        setActive((activeIndex + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
        return true;
      case 'Enter': {
        const reply = matches[activeIndex];
        if (event.shiftKey || reply === undefined) return false;
        event.preventDefault();
        pick(reply);
        return true;
      }
      case 'Escape':
        event.preventDefault();
        setClosedAt(draft);
        return true;
      default:
        return false;
    }
  };

  const inputProps: ComboboxProps = open
    ? {
        role: 'combobox',
        'aria-expanded': true,
        'aria-controls': listId,
        'aria-autocomplete': 'list',
        'aria-activedescendant': matches.length > 0 ? optionId(activeIndex) : undefined,
      }
    : {};

  let body: ReactNode;
  if (status === 'failed') {
    body = (
      <p className="canned-status" role="alert">
        {t('canned.loadFailed', { why: error === null ? '' : describeError(error, null, t) })}
      </p>
    );
  } else if (matches.length === 0) {
    body = (
      <p className="canned-status" role="status">
        {status === 'ready'
          ? replies.length === 0
            ? t('canned.none')
            : t('canned.noMatch', { query: query ?? '' })
          : t('canned.loading')}
      </p>
    );
  }

  const picker = (
    <>
      {open && (
        <div className="canned-picker">
          <ul id={listId} role="listbox" aria-label={t('canned.label')} className="canned-list">
            {matches.map((reply, index) => (
              <li
                key={reply.id}
                id={optionId(index)}
                role="option"
                aria-selected={index === activeIndex}
                className={index === activeIndex ? 'active' : undefined}
                // Keeps the focus in the composer.
                onMouseDown={(event) => {
                  event.preventDefault();
                }}
                onMouseMove={() => {
                  if (index !== activeIndex) setActive(index);
                }}
                onClick={() => {
                  pick(reply);
                }}
              >
                <span className="canned-shortcut">/{reply.shortcut}</span>
                <span className="canned-title">{reply.title}</span>
                <span className={`canned-scope ${reply.scope}`}>
                  {reply.scope === 'shared' ? t('canned.shared') : t('canned.mine')}
                </span>
                <span className="canned-preview" dir="auto">
                  {fill(reply)}
                </span>
              </li>
            ))}
          </ul>
          {body}
          <div className="canned-footer">
            <span>{t('canned.keys')}</span>
            <button
              type="button"
              className="link"
              onMouseDown={(event) => {
                event.preventDefault();
              }}
              onClick={() => {
                setManaging(true);
              }}
            >
              {t('canned.manage')}
            </button>
          </div>
        </div>
      )}
      {managing && (
        <CannedRepliesDialog
          onClose={() => {
            setManaging(false);
            input.current?.focus();
          }}
        />
      )}
    </>
  );
  return { onKeyDown, inputProps, picker };
}
