import { describe, expect, it } from 'vitest';
import { createI18n } from './language';
import { waitEstimateText } from './waitWording';

const NO_APP_WORDS = { en: {}, ar: {}, es: {} };
const tIn = (language: 'en' | 'ar' | 'es') => {
  const i18n = createI18n(NO_APP_WORDS, language);
  return (key: string, values?: Record<string, unknown>) => i18n.t(key, values);
};

describe('wait estimate wording', () => {
  it('says a range of minutes, or "under" when it may be next to nothing', () => {
    const t = tIn('en');
    expect(waitEstimateText({ minSeconds: 120, maxSeconds: 300 }, t)).toBe(
      'Estimated wait 2–5 min',
    );
    expect(waitEstimateText({ minSeconds: 0, maxSeconds: 60 }, t)).toBe(
      'Estimated wait under 1 min',
    );
    expect(waitEstimateText(null, t)).toBeNull();
  });

  it('speaks Spanish and Arabic, with Arabic numbers and plural forms', () => {
    expect(waitEstimateText({ minSeconds: 600, maxSeconds: 1200 }, tIn('es'))).toBe(
      'Espera estimada: 10–20 min',
    );
    const ar = tIn('ar');
    expect(waitEstimateText({ minSeconds: 0, maxSeconds: 60 }, ar)).toBe(
      'الانتظار المتوقع: أقل من دقيقة',
    );
    expect(waitEstimateText({ minSeconds: 0, maxSeconds: 120 }, ar)).toBe(
      'الانتظار المتوقع: أقل من دقيقتين',
    );
    // Three to ten take the plural "دقائق"; the figure is written in Arabic's own digits.
    expect(waitEstimateText({ minSeconds: 0, maxSeconds: 300 }, ar)).toBe(
      `الانتظار المتوقع: أقل من ${(5).toLocaleString('ar')} دقائق`,
    );
  });
});
