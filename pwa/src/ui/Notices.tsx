import { useCustomerApp, useNotices } from '../app/appContext';
import { dismissNotice } from '../app/noticeStore';

export function Notices() {
  const { notices: store } = useCustomerApp();
  const notices = useNotices();
  return (
    <div className="notices" role="alert">
      {notices.map((notice) => (
        <div key={notice.id} className="notice">
          <p>{notice.text}</p>
          <button
            type="button"
            className="button small"
            onClick={() => {
              dismissNotice(store, notice.id);
            }}
          >
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
