import { useState, type SubmitEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { textProblemWords } from '@callcenter/client';
import { LIMITS, textProblem } from '@callcenter/shared';
import { useCustomerApp, useSessionView } from '../app/appContext';
import { pushNotice } from '../app/noticeStore';
import { availableActions } from './stateText';
import { CustomerAttachButton } from './Attachments';

/** Shown under the box once the message gets long. */
const LENGTH_WARNING_AT = LIMITS.messageLength - 200;

export function Composer() {
  const { t } = useTranslation();
  const { outbox, notices, typing } = useCustomerApp();
  const { customerState } = useSessionView();
  const [text, setText] = useState('');
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  // Writing does not need the network: the outbox holds it (offline, or while reconnecting).
  const canWrite = availableActions(customerState, true).write;
  // The server's own text rules, so a refusal shows before anything is queued to send.
  const problem = text.trim() === '' ? null : textProblem(text, { multiLine: true });
  const canSend = canWrite && text.trim() !== '' && problem === null;

  const send = () => {
    if (!canSend) return;
    const written = text;
    setText('');
    typing.stop();
    outbox.write(written).catch((error: unknown) => {
      console.error('could not keep the message on this device', error);
      setText(written);
      pushNotice(notices, { key: 'composer.saveFailed' });
    });
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    send();
  };

  // Enter sends (as in any chat app); Shift+Enter starts a new line.
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      <CustomerAttachButton disabled={!canWrite} onProblem={setFileProblem} />
      <label htmlFor="composer-text" className="visually-hidden">
        {t('composer.label')}
      </label>
      <textarea
        id="composer-text"
        rows={1}
        maxLength={LIMITS.messageLength}
        value={text}
        disabled={!canWrite}
        enterKeyHint="send"
        placeholder={canWrite ? t('composer.placeholder') : t('composer.placeholderDisabled')}
        aria-describedby={text.length >= LENGTH_WARNING_AT ? 'composer-length' : undefined}
        onChange={(event) => {
          setText(event.target.value);
          typing.changed(event.target.value);
        }}
        onBlur={() => {
          typing.stop();
        }}
        onKeyDown={onKeyDown}
      />
      {problem !== null && (
        <p id="composer-problem" className="composer-length" role="alert">
          {t('composer.problem', { problem: textProblemWords(problem, t) })}
        </p>
      )}
      {fileProblem !== null && (
        <p className="composer-length composer-problem" role="alert">
          {fileProblem}
        </p>
      )}
      {text.length >= LENGTH_WARNING_AT && (
        <p id="composer-length" className="composer-length">
          {t('composer.charactersLeft', { count: LIMITS.messageLength - text.length })}
        </p>
      )}
      <button type="submit" className="button primary" disabled={!canSend}>
        {t('composer.send')}
      </button>
    </form>
  );
}
