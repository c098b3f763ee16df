// Settings → profile (`/settings/profile`): name, bio, place and links (PATCH /api/me), and the avatar
// (PUT/DELETE /api/me/avatar), with a link to the API tokens.
import { useEffect, useState } from 'preact/hooks';
import { api, apiRequest, ApiError } from '../api';
import type { Me, UserProfileAvatar } from '../api-types';
import { ErrorNotice, Loading, SignInPrompt } from '../components/StateViews';
import { t } from '../i18n';
import { usePageTitle } from '../page-title';
import { profileUrl } from '../router';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { useFormSubmit } from '../use-form-submit';
import { DigestSettings } from '../components/DigestSettings';

const maxLinks = 5;
type Link = { label: string; url: string };

export function ProfileSettingsPage() {
  usePageTitle(t('profileSettings.title'));
  const session = useSession();
  const me = useApi<Me>(session.token ? '/api/me' : null);
  const [name, setName] = useState('');
  const [bio, setBio] = useState('');
  const [place, setPlace] = useState('');
  const [links, setLinks] = useState<Link[]>([]);
  const [saved, setSaved] = useState(false);
  const [avatar, setAvatar] = useState<Me['avatar']>(null);
  const [avatarError, setAvatarError] = useState<ApiError | null>(null);
  const [avatarBusy, setAvatarBusy] = useState(false);
  const loaded = me.status === 'ok' ? me.data : undefined;

  useEffect(() => {
    if (!loaded) return;
    setName(loaded.name ?? '');
    setBio(loaded.bio ?? '');
    setPlace(loaded.place ?? '');
    setLinks((loaded.links ?? []).map((l) => ({ label: l.label ?? '', url: l.url })));
    setAvatar(loaded.avatar ?? null);
  }, [loaded]);

  const { busy, error, submit } = useFormSubmit(async () => {
    setSaved(false);
    await api.patch<Me>('/api/me', {
      name: name || null,
      bio: bio || null,
      place: place || null,
      links: links
        .filter((l) => l.url.trim())
        .map((l) => ({ ...(l.label.trim() ? { label: l.label.trim() } : {}), url: l.url.trim() })),
    });
    setSaved(true);
  });

  async function upload(file: File) {
    setAvatarBusy(true);
    setAvatarError(null);
    try {
      const form = new FormData();
      form.append('avatar', file, file.name);
      setAvatar((await apiRequest<UserProfileAvatar>('/api/me/avatar', { method: 'PUT', form })).avatar);
    } catch (err) {
      setAvatarError(err as ApiError);
    } finally {
      setAvatarBusy(false);
    }
  }

  async function removeAvatar() {
    setAvatarError(null);
    try {
      await api.del('/api/me/avatar');
      setAvatar(null);
    } catch (err) {
      setAvatarError(err as ApiError);
    }
  }

  if (!session.token)
    return (
      <section class="page narrow">
        <h1>{t('profileSettings.title')}</h1>
        <SignInPrompt message="profileSettings.signInPrompt" />
      </section>
    );
  if (me.status === 'error') return <ErrorNotice error={me.error} onRetry={me.reload} />;
  if (!loaded) return <Loading />;
  const setLink = (i: number, change: Partial<Link>) =>
    setLinks(links.map((l, j) => (j === i ? { ...l, ...change } : l)));

  return (
    <section class="page narrow profile-settings">
      <h1>{t('profileSettings.title')}</h1>
      <p class="lede">
        {t('profileSettings.lede')} <a href={profileUrl(loaded.handle)}>{t('profileSettings.view')}</a> ·{' '}
        <a href="/settings/tokens">{t('shell.apiTokens')}</a>
      </p>
      <section class="card form" aria-labelledby="avatar-heading">
        <h2 id="avatar-heading">{t('profileSettings.avatar')}</h2>
        <div class="profile-avatar-edit">
          {avatar ? (
            <img class="avatar avatar-large" src={avatar.large} alt={t('profileSettings.currentAvatar')} />
          ) : (
            <span class="avatar avatar-large avatar-empty" aria-hidden="true">
              {(loaded.name ?? loaded.handle).slice(0, 1).toUpperCase()}
            </span>
          )}
          <div>
            <label class="field">
              <span class="field-label">{t('profileSettings.chooseAvatar')}</span>
              <input
                type="file"
                name="avatar"
                accept="image/jpeg,image/png,image/webp,image/avif,image/tiff"
                disabled={avatarBusy}
                onChange={(event) => {
                  const file = event.currentTarget.files?.[0];
                  if (file) void upload(file);
                }}
              />
            </label>
            <p class="muted">{t('profileSettings.avatarHint')}</p>
            {avatarBusy && <Loading label={t('profileSettings.uploading')} />}
            {avatar && (
              <button type="button" class="button button-quiet button-small" onClick={() => void removeAvatar()}>
                {t('profileSettings.removeAvatar')}
              </button>
            )}
          </div>
        </div>
        {avatarError && <ErrorNotice error={avatarError} />}
      </section>
      <form class="form card" onSubmit={submit}>
        <h2>{t('profileSettings.about')}</h2>
        {error && <ErrorNotice error={error} />}
        {saved && (
          <div class="notice notice-success" role="status">
            <p>{t('profileSettings.saved')}</p>
          </div>
        )}
        <label class="field">
          <span class="field-label">{t('profileSettings.name')}</span>
          <input name="name" maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t('profileSettings.bio')}</span>
          <textarea name="bio" rows={5} maxLength={2000} value={bio} onInput={(e) => setBio(e.currentTarget.value)} />
          <span class="field-hint">{t('profileSettings.bioHint')}</span>
        </label>
        <label class="field">
          <span class="field-label">{t('profileSettings.place')}</span>
          <input
            name="place"
            maxLength={100}
            value={place}
            placeholder={t('profileSettings.placePlaceholder')}
            onInput={(e) => setPlace(e.currentTarget.value)}
          />
          <span class="field-hint">{t('profileSettings.placeHint')}</span>
        </label>
        <fieldset class="field">
          <legend class="field-label">{t('profileSettings.links', { max: maxLinks })}</legend>
          {links.map((l, i) => (
            <div class="profile-link-row" key={i}>
              <input
                aria-label={t('profileSettings.linkLabel', { n: i + 1 })}
                placeholder={t('profileSettings.linkLabelPlaceholder')}
                maxLength={60}
                value={l.label}
                onInput={(e) => setLink(i, { label: e.currentTarget.value })}
              />
              <input
                type="url"
                aria-label={t('profileSettings.linkUrl', { n: i + 1 })}
                placeholder={t('profileSettings.linkUrlPlaceholder')}
                value={l.url}
                onInput={(e) => setLink(i, { url: e.currentTarget.value })}
              />
              <button
                type="button"
                class="button button-quiet button-small"
                onClick={() => setLinks(links.filter((_, j) => j !== i))}
              >
                {t('profileSettings.removeLink')}
              </button>
            </div>
          ))}
          {links.length < maxLinks && (
            <button
              type="button"
              class="button button-quiet button-small"
              onClick={() => setLinks([...links, { label: '', url: '' }])}
            >
              {t('profileSettings.addLink')}
            </button>
          )}
        </fieldset>
        <button class="button" type="submit" disabled={busy}>
          {t('profileSettings.save')}
        </button>
      </form>
      <DigestSettings />
    </section>
  );
}
