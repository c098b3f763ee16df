// Manifest fields a new version carries from the one before that the form has no widget for (mass, outer
// dimensions, fields from other tools…): shown as they are, sent as they are.
import { ScalarText } from './GenericData';
import { t } from '../i18n';

export function CarriedFields({
  manifest,
  keys,
  from,
}: {
  manifest: Record<string, unknown>;
  keys: string[];
  from: string;
}) {
  const shown = keys.filter((key) => manifest[key] !== undefined).sort();
  if (shown.length === 0) return null;
  return (
    <section class="carried-fields" aria-labelledby="carried-fields-heading">
      <h3 id="carried-fields-heading">{t('carriedFields.heading', { version: from })}</h3>
      <p class="field-hint">{t('carriedFields.hint')}</p>

      <dl class="facts carried-facts">
        {shown.map((key) => (
          <div key={key} class="fact">
            <dt class="mono">{key}</dt>
            <dd>
              <ScalarText value={manifest[key]} />
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
