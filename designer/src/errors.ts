import { ApiError, errorMessage, problemMessage, useLocale } from '@crm/ui';

/** The text of a failure in the user's language. */
export function useErrorText(): (error: unknown) => string {
  const locale = useLocale();
  return (error) => errorMessage(error, locale);
}

/** Every problem of a failed call as `pointer: message` lines (a publish refusal has several). */
export function useProblemLines(): (error: unknown) => string[] {
  const locale = useLocale();
  return (error) =>
    error instanceof ApiError && error.problems.length > 0
      ? error.problems.map((p) => `${p.pointer ? `${p.pointer}: ` : ''}${problemMessage(p, locale)}`)
      : [errorMessage(error, locale)];
}
