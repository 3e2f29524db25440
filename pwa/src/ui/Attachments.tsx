// The customer app's Attach button: a file goes to the outbox like text (kept on the device until
// sent). The shared pieces (`@callcenter/client/react`) show messages' files.
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { AttachButton } from '@callcenter/client/react';
import { useCustomerApp } from '../app/appContext';
import { pushNotice } from '../app/noticeStore';

/**
 * A file too large (or of a kind the server never keeps) is refused here, with the limit named,
 * before anything is queued.
 */
export function CustomerAttachButton({
  disabled,
  onProblem,
}: {
  disabled: boolean;
  onProblem: (problem: string | null) => void;
}) {
  const { t } = useTranslation();
  const { outbox, notices, limits } = useCustomerApp();
  const maxBytes = useStore(limits, (view) => view.maxBytes);
  return (
    <AttachButton
      label={t('attachment.attach')}
      maxBytes={maxBytes}
      disabled={disabled}
      className="button attach-button"
      iconSize={22}
      onProblem={onProblem}
      onFile={(file) => {
        outbox.attach(file).catch((error: unknown) => {
          console.error('could not keep the file on this device', error);
          pushNotice(notices, { key: 'attachment.keepFailed' });
        });
      }}
    />
  );
}
