// "Report a build" form: workshop, outcome, hours, units, cost, per-BOM-line substitutions, notes, photos → multipart POST.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, query, uploadWithProgress, versionPath } from '../api';
import type { Bom, BomLine, Me } from '../api-types';
import { t } from '../i18n';
import { findSchema, resolveRef, type JsonSchema } from '../schemas';
import { useApi } from '../use-api';
import { outcomeText } from './BuildReview';
import { ProgressBar } from './ProgressBar';
import { PhotoPicker } from './PhotoPicker';
import { SelectField } from './SelectField';
import { ErrorNotice, Loading } from './StateViews';

type LineChoice = 'as-listed' | 'substituted' | 'skipped' | 'made-locally';
type LineEntry = { line: BomLine; choice: LineChoice; substitute: string; reason: string };
const unchangedLine: Omit<LineEntry, 'line'> = { choice: 'as-listed', substitute: '', reason: '' };

function flatten(lines: BomLine[]): BomLine[] {
  return lines.flatMap((line) => [line, ...flatten(line.children ?? [])]);
}

/** The line object of the report, shaped by schemas/build-report.schema.json when it exists (strict bodies). */
export function reportLine(entry: LineEntry, itemSchema: JsonSchema | undefined): Record<string, unknown> {
  const props = itemSchema?.properties ?? {};
  const statusKey = ['status', 'action', 'kind', 'type', 'change'].find((key) => key in props) ?? 'status';
  const statusEnum = props[statusKey]?.enum?.map(String);
  const status =
    statusEnum?.find((value) => value.replace(/[-_ ]/g, '').startsWith(entry.choice.replace(/-/g, '').slice(0, 5))) ??
    entry.choice;
  const substituteSchema = props.substitute ?? props.substitution ?? props.replacement;
  const substituteKey =
    'substitute' in props
      ? 'substitute'
      : 'substitution' in props
        ? 'substitution'
        : 'replacement' in props
          ? 'replacement'
          : 'substitute';
  const substituteValue = entry.substitute
    ? substituteSchema?.type === 'object'
      ? { name: entry.substitute }
      : entry.substitute
    : undefined;
  const candidate: Record<string, unknown> = {
    position: entry.line.position !== undefined ? String(entry.line.position) : undefined,
    partNumber: entry.line.partNumber ?? undefined,
    [statusKey]: status,
    [substituteKey]: substituteValue,
    reason: entry.reason || undefined,
  };
  if (typeof props.position?.type === 'string' && props.position.type !== 'string' && candidate.position !== undefined)
    candidate.position = Number(candidate.position);
  const allowed = itemSchema?.properties ? new Set(Object.keys(itemSchema.properties)) : null;
  return Object.fromEntries(
    Object.entries(candidate).filter(([key, value]) => value !== undefined && (!allowed || allowed.has(key))),
  );
}

type Option = { slug: string; name: string };

const outcomes = ['success', 'partial', 'failed'];

/** The workshops the signed-in person may report for: `workshops` of `/api/me`. */
function useMyWorkshops(): { status: 'loading' | 'ok' | 'error'; options: Option[]; error?: ApiError } {
  const [state, setState] = useState<{ status: 'loading' | 'ok' | 'error'; options: Option[]; error?: ApiError }>({
    status: 'loading',
    options: [],
  });
  useEffect(() => {
    let cancelled = false;
    api
      .get<Me>('/api/me')
      .then((me) =>
        (me.workshops ?? []).map((entry) =>
          typeof entry === 'string'
            ? { slug: entry, name: entry }
            : { slug: entry.slug, name: entry.name ?? entry.slug },
        ),
      )
      .then((options) => !cancelled && setState({ status: 'ok', options }))
      .catch((error: ApiError) => !cancelled && setState({ status: 'error', options: [], error }));
    return () => {
      cancelled = true;
    };
  }, []);
  return state;
}

type Props = {
  owner: string;
  slug: string;
  version: string;
  units: number;
  onDone: (id: string) => void;
  onCancel: () => void;
};

export function BuildReportForm({ owner, slug, version, units, onDone, onCancel }: Props) {
  const mine = useMyWorkshops();
  const bom = useApi<Bom>(versionPath(owner, slug, version, `/bom${query({ format: 'json', units })}`));
  const reportSchema = findSchema('build-report') ?? findSchema('build');
  const lineSchema = reportSchema?.properties?.lines?.items
    ? resolveRef(reportSchema.properties.lines.items, reportSchema)
    : undefined;

  const [workshop, setWorkshop] = useState('');
  const [outcome, setOutcome] = useState('success');
  const [hours, setHours] = useState('');
  const [unitsBuilt, setUnitsBuilt] = useState(String(units));
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const [changes, setChanges] = useState<Record<number, Omit<LineEntry, 'line'>>>({});
  const [deviations, setDeviations] = useState('');
  const [safetyNotes, setSafetyNotes] = useState('');
  const [notes, setNotes] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const options = mine.options;
  const chosenWorkshop = workshop || options[0]?.slug || '';
  const lines = bom.status === 'ok' ? flatten(bom.data.lines) : [];

  const change = (index: number, patch: Partial<Omit<LineEntry, 'line'>>) =>
    setChanges((current) => ({ ...current, [index]: { ...unchangedLine, ...current[index], ...patch } }));

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    const report: Record<string, unknown> = { workshop: chosenWorkshop, outcome };
    if (hours) report.hours = Number(hours);
    if (unitsBuilt) report.unitsBuilt = Number.parseInt(unitsBuilt, 10);
    if (amount) report.cost = { amount: Number(amount.replace(',', '.')).toFixed(2), currency: currency.toUpperCase() };
    const reportLines = Object.entries(changes)
      .filter(([, entry]) => entry.choice !== 'as-listed')
      .map(([index, entry]) => reportLine({ ...entry, line: lines[Number(index)] }, lineSchema));
    if (reportLines.length > 0) report.lines = reportLines;
    if (deviations.trim()) report.deviations = deviations.trim();
    if (safetyNotes.trim()) report.safetyNotes = safetyNotes.trim();
    if (notes.trim()) report.notes = notes.trim();
    const form = new FormData();
    form.append('report', JSON.stringify(report));
    for (const photo of photos) form.append('photos', photo, photo.name);
    setProgress(0);
    try {
      const created = await uploadWithProgress<{ id: string }>(
        versionPath(owner, slug, version, '/builds'),
        form,
        (loaded, total) => setProgress(loaded / total),
      );
      onDone(String(created.id));
    } catch (err) {
      setError(err as ApiError);
      setProgress(null);
    }
  }

  return (
    <form class="form card panel build-report" onSubmit={submit} aria-labelledby="report-heading">
      <h2 id="report-heading">{t('buildReportForm.title', { version })}</h2>
      <p class="muted">{t('buildReportForm.intro')}</p>
      {error && <ErrorNotice error={error} />}
      <div class="grid-2">
        {mine.status === 'loading' ? (
          <Loading label={t('buildReportForm.loadingWorkshops')} />
        ) : mine.status === 'error' ? (
          <ErrorNotice error={mine.error!} />
        ) : options.length === 0 ? (
          <p class="field-hint">
            {t('buildReportForm.noWorkshop')} <a href="/workshops#new-workshop">{t('buildReportForm.addWorkshop')}</a>{' '}
            {t('buildReportForm.addWorkshopAfter')}
          </p>
        ) : (
          <SelectField
            label={t('buildReportForm.workshop')}
            inline={false}
            name="workshop"
            value={chosenWorkshop}
            onChange={setWorkshop}
          >
            {options.map((option) => (
              <option key={option.slug} value={option.slug}>
                {option.name}
              </option>
            ))}
          </SelectField>
        )}
        <fieldset class="field">
          <legend class="field-label">{t('buildReportForm.outcome')}</legend>
          <div class="radio-row">
            {outcomes.map((value) => (
              <label key={value} class="check">
                <input
                  type="radio"
                  name="outcome"
                  value={value}
                  checked={outcome === value}
                  onChange={() => setOutcome(value)}
                />
                {outcomeText(value)}
              </label>
            ))}
          </div>
        </fieldset>
        <label class="field">
          <span class="field-label">{t('buildReportForm.hours')}</span>
          <input
            name="hours"
            type="number"
            min={0}
            step="0.25"
            inputMode="decimal"
            value={hours}
            onInput={(event) => setHours(event.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field-label">{t('buildReportForm.unitsBuilt')}</span>
          <input
            name="unitsBuilt"
            type="number"
            min={1}
            step={1}
            value={unitsBuilt}
            onInput={(event) => setUnitsBuilt(event.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field-label">{t('buildReportForm.cost')}</span>
          <input
            name="cost"
            inputMode="decimal"
            placeholder="812.50"
            pattern="[0-9]+([.,][0-9]{1,2})?"
            value={amount}
            onInput={(event) => setAmount(event.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field-label">{t('buildReportForm.currency')}</span>
          <input
            name="currency"
            maxLength={3}
            size={4}
            pattern="[A-Za-z]{3}"
            value={currency}
            onInput={(event) => setCurrency(event.currentTarget.value.toUpperCase())}
          />
        </label>
      </div>

      {lines.length > 0 && (
        <fieldset class="field">
          <legend class="field-label">{t('buildReportForm.partsAsBuilt')}</legend>
          <p class="field-hint">{t('buildReportForm.partsHint')}</p>
          <div class="table-scroll">
            <table class="table substitutions">
              <thead>
                <tr>
                  <th scope="col">{t('buildReportForm.columns.line')}</th>
                  <th scope="col">{t('buildReportForm.columns.asBuilt')}</th>
                  <th scope="col">{t('buildReportForm.columns.usedInstead')}</th>
                  <th scope="col">{t('buildReportForm.columns.why')}</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((line, index) => {
                  const entry = changes[index] ?? unchangedLine;
                  const label = `${line.position ?? index + 1} ${line.name ?? line.partNumber ?? ''}`.trim();
                  return (
                    <tr key={index}>
                      <th scope="row">
                        <span class="mono">{line.partNumber}</span> {line.name}
                      </th>
                      <td>
                        <select
                          aria-label={t('buildReportForm.asBuiltOf', { line: label })}
                          value={entry.choice}
                          onChange={(event) => change(index, { choice: event.currentTarget.value as LineChoice })}
                        >
                          <option value="as-listed">{t('buildReportForm.choices.asListed')}</option>
                          <option value="substituted">{t('buildReportForm.choices.substituted')}</option>
                          <option value="made-locally">{t('buildReportForm.choices.madeLocally')}</option>
                          <option value="skipped">{t('buildReportForm.choices.skipped')}</option>
                        </select>
                      </td>
                      <td>
                        <input
                          aria-label={t('buildReportForm.usedInsteadOf', { line: label })}
                          disabled={entry.choice !== 'substituted'}
                          required={entry.choice === 'substituted'}
                          value={entry.substitute}
                          onInput={(event) => change(index, { substitute: event.currentTarget.value })}
                        />
                      </td>
                      <td>
                        <input
                          aria-label={t('buildReportForm.reasonFor', { line: label })}
                          disabled={entry.choice === 'as-listed'}
                          value={entry.reason}
                          onInput={(event) => change(index, { reason: event.currentTarget.value })}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </fieldset>
      )}

      <label class="field">
        <span class="field-label">{t('buildReportForm.deviations')}</span>
        <textarea
          name="deviations"
          rows={2}
          value={deviations}
          onInput={(event) => setDeviations(event.currentTarget.value)}
        />
      </label>
      <label class="field">
        <span class="field-label">{t('buildReportForm.safetyNotes')}</span>
        <textarea
          name="safetyNotes"
          rows={2}
          value={safetyNotes}
          onInput={(event) => setSafetyNotes(event.currentTarget.value)}
        />
      </label>
      <label class="field">
        <span class="field-label">{t('buildReportForm.notes')}</span>
        <textarea name="notes" rows={4} value={notes} onInput={(event) => setNotes(event.currentTarget.value)} />
      </label>
      <PhotoPicker id="build-photos" photos={photos} onChange={setPhotos} />
      {progress !== null && (
        <ProgressBar
          label={t('buildReportForm.sending')}
          value={progress}
          state={progress >= 1 ? 'processing' : 'uploading'}
        />
      )}
      <div class="actions">
        <button class="button" type="submit" disabled={progress !== null || !chosenWorkshop}>
          {t('buildReportForm.submit')}
        </button>
        <button class="button button-quiet" type="button" onClick={onCancel}>
          {t('buildReportForm.cancel')}
        </button>
      </div>
    </form>
  );
}
