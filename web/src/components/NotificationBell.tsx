// The header's bell for a signed-in person: the unread count, kept live by their own `notification` events on the
// events stream (no reload), and a panel of the newest notifications, each a link to what it is about, with
// "mark all read".
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { NotificationItem, NotificationList } from '../api-types';
import { openEvents } from '../event-source';
import { t } from '../i18n';
import { formatDateTime } from '../format';

const newest = '/api/notifications?limit=10';

/** The catalogue's select names one message per kind (a key of ICU select is a plain word: no hyphen). */
const kindKey = (kind: string) => kind.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

function NotificationText({ item }: { item: NotificationItem }) {
  return (
    <>
      {t('notifications.item', {
        kind: kindKey(item.kind),
        actor: item.actor ? `@${item.actor.handle}` : t('notifications.someone'),
        title: item.subject.title ?? item.subject.design ?? '',
        version: item.subject.version ?? '',
      })}
    </>
  );
}

export function NotificationBell() {
  const [unread, setUnread] = useState(0);
  const [items, setItems] = useState<NotificationItem[] | null>(null);
  const [open, setOpen] = useState(false);

  const load = async () => {
    try {
      const list = await api.get<NotificationList>(newest);
      setUnread(list.unread);
      setItems(list.items);
    } catch {
      /* the bell stays as it was: the page works without it */
    }
  };

  useEffect(() => {
    void load();
    // only this person's notifications, not every design's pipeline progress
    return openEvents({ only: 'notifications' }, (source) => {
      source.addEventListener('notification', () => void load());
      // (re)connected: whatever came while the stream was down was missed
      source.addEventListener('hello', () => void load());
    });
  }, []);

  useEffect(() => {
    if (!open) return;
    const close = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [open]);

  const markRead = async (body: { ids: string[] } | { all: true }) => {
    try {
      const { unread: left } = await api.post<{ unread: number }>('/api/notifications/read', body);
      setUnread(left);
      setItems((list) =>
        list ? list.map((i) => ('all' in body || body.ids.includes(i.id) ? { ...i, read: true } : i)) : list,
      );
    } catch {
      /* still unread: shown as such */
    }
  };

  return (
    <div class="notification-bell">
      <button
        type="button"
        class="button button-quiet button-small bell-button"
        aria-expanded={open}
        aria-label={t('notifications.bellLabel', { count: unread })}
        data-testid="notification-bell"
        onClick={() => setOpen(!open)}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path
            d="M6 17V11a6 6 0 0 1 12 0v6l1.5 2h-15zM10 21h4"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
            stroke-linecap="round"
            stroke-linejoin="round"
          />
        </svg>
        {unread > 0 && (
          <span class="bell-count" data-testid="notification-count">
            {unread}
          </span>
        )}
      </button>
      {open && (
        <section class="notification-panel" aria-labelledby="notifications-heading">
          <header class="notification-panel-head">
            <h2 id="notifications-heading">{t('notifications.title')}</h2>
            {unread > 0 && (
              <button
                type="button"
                class="button button-quiet button-small"
                onClick={() => void markRead({ all: true })}
              >
                {t('notifications.markAllRead')}
              </button>
            )}
          </header>
          {items && items.length === 0 && <p class="notification-empty">{t('notifications.empty')}</p>}
          {items && items.length > 0 && (
            <ul class="notification-list">
              {items.map((item) => (
                <li key={item.id} class={item.read ? 'notification' : 'notification notification-unread'}>
                  <a
                    href={item.subject.url}
                    onClick={() => {
                      setOpen(false);
                      if (!item.read) void markRead({ ids: [item.id] });
                    }}
                  >
                    <NotificationText item={item} />
                  </a>
                  <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
