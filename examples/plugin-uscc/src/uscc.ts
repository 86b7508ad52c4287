/**
 * The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from a
 * 31-character alphabet (digits and capitals without I, O, Z, S, V); the 18th is a check character
 * over the first 17 with the standard's weights. Pure: the server and the form widget share it.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Registration authority + organisation type (2), division code (6 digits), organisation code and check (10). */
export const USCC_PATTERN = '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$';
const SHAPE = new RegExp(USCC_PATTERN);

/** The check character the first 17 characters call for; undefined when one is outside the alphabet. */
export function usccCheckCharacter(first17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) return undefined;
    sum += value * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

export type UsccProblem = 'shape' | 'check';

/** Why a code is not a valid USCC, or undefined when it is. */
export function usccProblem(code: string): UsccProblem | undefined {
  if (!SHAPE.test(code)) return 'shape';
  return usccCheckCharacter(code.slice(0, 17)) === code.charAt(17) ? undefined : 'check';
}

export const USCC_MESSAGES: Record<UsccProblem, { en: string; 'zh-CN': string }> = {
  shape: {
    en: 'must be 18 characters: digits and capital letters other than I, O, S, V and Z',
    'zh-CN': '应为18位，由数字和除 I、O、S、V、Z 以外的大写字母组成',
  },
  check: {
    en: 'is not a valid unified social credit code (the check character does not match)',
    'zh-CN': '不是有效的统一社会信用代码（校验码不符）',
  },
};
