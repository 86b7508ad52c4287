/** How repeated failed logins lock an account. */
export interface LockoutSettings {
  /** Failures in a row that lock the account. */
  threshold: number;
  /** The first lock's length; each further failure doubles it. */
  baseSeconds: number;
  /** The longest lock. */
  maxSeconds: number;
}

/**
 * Seconds the account is locked after its `failures`-th failure in a row: none below the threshold,
 * then base, 2 × base, 4 × base … up to the cap.
 */
export function lockSeconds(settings: LockoutSettings, failures: number): number {
  if (failures < settings.threshold) return 0;
  const doublings = Math.min(failures - settings.threshold, 30);
  return Math.min(settings.baseSeconds * 2 ** doublings, settings.maxSeconds);
}
