import { findPeppolIdProblem } from '../../../src/domain/peppol-id.js';
import { ApiError } from '../api/client';
import { fieldErrorText, fill, type Messages } from '../i18n';

/**
 * The text for the API's issue on `peppolId`: the sentence for its code, with the
 * scheme and a valid example filled in from the submitted id (the same domain check
 * the server ran, so the codes agree). Undefined when the error has no such issue.
 *
 * @example peppolIdErrorText(nb, error, '9999:123') // '9999 er ikke et Peppol-adresseskjema (EAS). …'
 */
export function peppolIdErrorText(t: Messages, error: unknown, submitted: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const issue = error.fieldError('peppolId');
  if (!issue) return undefined;
  const text = fieldErrorText(t, issue);
  if (!/\{\w+\}/.test(text)) return text;
  const problem = findPeppolIdProblem(submitted);
  if (problem?.code !== issue.code) return issue.message;
  return fill(text, { scheme: problem.scheme ?? '', example: problem.example ?? '' });
}
