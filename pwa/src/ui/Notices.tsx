import { useTranslation } from 'react-i18next';
import { useCustomerApp, useNotices } from '../app/appContext';
import { dismissNotice } from '../app/noticeStore';

export function Notices() {
  const { notices: store } = useCustomerApp();
  const notices = useNotices();
  const { t } = useTranslation();
  return (
    <div className="notices" role="alert">
      {notices.map((notice) => (
        <div key={notice.id} className="notice">
          <p>
            {typeof notice.text === 'string' ? notice.text : t(notice.text.key, notice.text.values)}
          </p>
          <button
            type="button"
            className="button small"
            onClick={() => {
              dismissNotice(store, notice.id);
            }}
          >
            {t('common.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}
