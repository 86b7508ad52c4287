/** The time the identity services see; tests pass their own to step through lockouts and expiries. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
