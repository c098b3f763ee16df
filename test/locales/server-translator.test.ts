// The server's translator (build packet, problems) formats ICU messages under plain Node and vitest — i18next-icu's
// ES build does not (intl-messageformat's default export is the module object there) — and falls back to English.
import { describe, expect, it } from 'vitest';
import { translator } from '../../server/src/locales/translate.js';
import { catalogue } from '../../server/src/locales/catalogues.js';
import { composed, msg, renderMessage, selector } from '../../server/src/errors.js';

describe('server translator', () => {
  it('formats arguments and plurals in the locale, English where a message is missing', () => {
    const packet = catalogue('en').packet!;
    expect(Object.keys(packet).length).toBeGreaterThan(0);
    const es = translator('packet', 'es');
    const en = translator('packet', 'en');
    // every packet message formats without leaving an ICU argument unfilled when given plausible values
    expect(en('cover.units', { units: 1, n: '1' })).toBe('1 unit');
    expect(en('cover.units', { units: 12, n: '12' })).toBe('12 units');
    expect(es('cover.units', { units: 12, n: '12' })).toBe('12 unidades');
    expect(es('footer.page', { page: 2, pages: 9 })).not.toMatch(/[{}]/);
    expect(es('footer.page', { page: 2, pages: 9 })).not.toBe(en('footer.page', { page: 2, pages: 9 }));
    expect(translator('packet', 'es')('no.such.key')).toBe('no.such.key');
  });

  it('words a state code inside a problem in the reader’s language, an unknown one as sent', () => {
    const notOpen = composed('proposals.notOpen', { state: msg('states.proposal', { state: 'accepted' }) });
    expect(renderMessage(notOpen, 'es')).toBe(
      'Esta propuesta ya está aceptada; solo se puede aceptar o rechazar una propuesta abierta',
    );
    expect(renderMessage(notOpen, 'en')).toBe(
      'This proposal is already accepted; only an open proposal can be accepted or declined',
    );
    const report = composed('builds.decided', {
      state: msg('states.report', { state: selector('changes-requested') }),
    });
    expect(renderMessage(report, 'ca')).toContain('Aquest informe està pendent de canvis');
    expect(renderMessage(msg('states.report', { state: 'lost' }), 'ar')).toBe('lost');
  });
});
