import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { en } from '../i18n/en';
import { nb } from '../i18n/nb';
import { peppolIdErrorText } from './peppol-id-error';

function problem(code: string, message: string): ApiError {
  return new ApiError(400, { code: 'validation.failed', errors: [{ path: 'peppolId', code, message }] } as never);
}

describe('the customer form names the PEPPOL id problem', () => {
  it('names the unknown scheme, in nb and en', () => {
    const error = problem('peppol_id.unknown_scheme', '9999 is not a Peppol address scheme (EAS)');
    expect(peppolIdErrorText(nb, error, '9999:974760673')).toBe(
      '9999 er ikke et Peppol-adresseskjema (EAS). For et norsk organisasjonsnummer bruker du 0192:organisasjonsnummer.',
    );
    expect(peppolIdErrorText(en, error, '9999:974760673')).toBe(
      '9999 is not a Peppol address scheme (EAS). For a Norwegian organisation number, use 0192:organisation number.',
    );
  });

  it("gives the scheme's example for a value in the wrong format, and names the scheme for a wrong check digit", () => {
    expect(peppolIdErrorText(nb, problem('peppol_id.value_format', 'x'), ' 0192:NO974760673MVA ')).toBe(
      'Verdien har ikke formatet skjema 0192 krever. Eksempel: 0192:974760673.',
    );
    expect(peppolIdErrorText(en, problem('peppol_id.check_digit', 'x'), '0007:5560360794')).toBe(
      'The check digit is wrong for scheme 0007. Check the number.',
    );
  });

  it('uses plain sentences as they are, the API message when the codes disagree, nothing without an issue', () => {
    expect(peppolIdErrorText(en, problem('peppol_id.format', 'x'), '974760673')).toBe(
      'Invalid PEPPOL ID. Use scheme:value – four digits, a colon and up to 50 characters (A–Z, 0–9, . - _), e.g. 0192:974760673.',
    );
    expect(peppolIdErrorText(nb, problem('too_big', 'Too long'), 'x')).toBe('For langt eller for stort.');
    expect(peppolIdErrorText(nb, problem('peppol_id.check_digit', 'API says so'), '0192:974760673')).toBe('API says so');
    expect(peppolIdErrorText(nb, new Error('boom'), '9999:1')).toBeUndefined();
    expect(peppolIdErrorText(nb, null, '9999:1')).toBeUndefined();
  });
});
