// Settings → how often the email digest of unread notifications comes (GET/PUT /api/me/digest): the instance's
// cadence, daily, weekly or never; on an instance that sends no email, a sentence saying so instead.
import { useEffect, useState } from 'preact/hooks';
import { apiRequest } from '../api';
import type { components } from '../api-schema.js';
import { SelectField } from './SelectField';
import { ErrorNotice } from './StateViews';
import { t } from '../i18n';
import { useApi } from '../use-api';
import { useFormSubmit } from '../use-form-submit';

type DigestSettingsReply = components['schemas']['digest-settings'];

export function DigestSettings() {
  const settings = useApi<DigestSettingsReply>('/api/me/digest');
  const [choice, setChoice] = useState('');
  const [saved, setSaved] = useState(false);
  const loaded = settings.status === 'ok' ? settings.data : undefined;
  useEffect(() => {
    if (loaded) setChoice(loaded.digest ?? '');
  }, [loaded]);
  const { busy, error, submit } = useFormSubmit(async () => {
    setSaved(false);
    await apiRequest('/api/me/digest', { method: 'PUT', json: { digest: choice || null } });
    setSaved(true);
  });
  if (!loaded) return null;
  return (
    <form class="form card" id="digest" onSubmit={submit}>
      <h2>{t('digestSettings.title')}</h2>
      {loaded.instance === 'off' ? (
        <p class="muted">{t('digestSettings.off')}</p>
      ) : (
        <>
          <SelectField label={t('digestSettings.label')} value={choice} onChange={setChoice} inline={false}>
            <option value="">{t('digestSettings.instance', { cadence: loaded.instance })}</option>
            <option value="daily">{t('digestSettings.daily')}</option>
            <option value="weekly">{t('digestSettings.weekly')}</option>
            <option value="never">{t('digestSettings.never')}</option>
          </SelectField>
          {error && <ErrorNotice error={error} />}
          {saved && <p role="status">{t('digestSettings.saved')}</p>}
          <button class="button" type="submit" disabled={busy}>
            {t('digestSettings.save')}
          </button>
        </>
      )}
    </form>
  );
}
