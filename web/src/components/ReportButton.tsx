// "Report" to the instance's admins: a design, a discussion, a reply, a profile… The button opens a short form
// for the reason (only admins read it); the report lands in the admins' queue (`POST /api/reports`).
import { useState } from 'preact/hooks';
import { api } from '../api';
import type { AbuseReportCreate } from '../api-types';
import { t } from '../i18n';
import { useFormSubmit } from '../use-form-submit';
import { ErrorNotice } from './StateViews';

type Props = {
  subject: AbuseReportCreate['subject'];
  /** the subject's id as the API names it: owner/slug, a handle, a uuid */
  id: string;
  /** what is reported, as a reader names it ("@ana"): the form's accessible name */
  what: string;
};

export function ReportButton({ subject, id, what }: Props) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, submit } = useFormSubmit(async () => {
    await api.post('/api/reports', { subject, id, reason: reason.trim() } satisfies AbuseReportCreate);
    setSent(true);
    setOpen(false);
    setReason('');
  });
  if (sent)
    return (
      <p class="notice report-sent" role="status">
        {t('reportButton.sent')}
      </p>
    );
  if (!open)
    return (
      <button type="button" class="button button-quiet button-small report-button" onClick={() => setOpen(true)}>
        {t('reportButton.report')}
      </button>
    );
  return (
    <form class="form report-form" onSubmit={submit} aria-label={t('reportButton.formLabel', { what })}>
      {error && <ErrorNotice error={error} />}
      <label class="field">
        <span class="field-label">{t('reportButton.reasonLabel')}</span>
        <textarea
          name="report-reason"
          required
          rows={3}
          maxLength={4000}
          dir="auto"
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        <span class="field-hint">{t('reportButton.reasonHint')}</span>
      </label>
      <div class="actions">
        <button class="button" type="submit" disabled={busy || !reason.trim()}>
          {busy ? t('reportButton.sending') : t('reportButton.send')}
        </button>
        <button class="button button-quiet" type="button" onClick={() => setOpen(false)}>
          {t('reportButton.cancel')}
        </button>
      </div>
    </form>
  );
}
