/** The UN document-symbol grammar and the session words a symbol must agree with. */
import { describe, expect, it } from 'vitest';
import { ordinalNumber } from '../src/load/checks.js';
import { checkSymbol } from '../src/load/symbol.js';

describe('checkSymbol', () => {
  it.each([
    'A/61/859',
    'S/2007/190',
    'S/2007/190/Rev.1',
    'A/52/691',
    'S/1997/910',
    'A/C.3/61/L.12',
    'A/HRC/WG.6/34/ITA/3',
    'ECE/TRADE/C/CEFACT/2018/1',
    'E/2002/68/Add.1',
    'A/61/123/Add.1/Corr.2',
    'A/61/PV.83',
    'A/ES-10/123',
    'A/RES/61/144',
    'ST/SGB/2007/1',
    'E/CN.6/2007/2',
    'A/AC.105/890',
  ])('%s follows the grammar', (symbol) => {
    expect(checkSymbol(symbol)).toBeUndefined();
  });

  it.each([
    ['X/61/1', 0, 'not a UN symbol series'],
    ['a/61/859', 0, 'not a UN symbol series'],
    ['A//61', 2, 'empty component'],
    ['A/61/', 5, 'empty component'],
    ['A/61/859 ', 8, 'no spaces'],
    ['A/61/859/add.1', 9, 'not a change component'],
    ['A/61/859/Rev.0', 9, 'not a change component'],
    ['A/61/859/Add1', 9, 'not a change component'],
    ['A/61/Add.1/3', 11, 'follows a change component'],
    ['A/HRC', 2, 'ends with its serial'],
    ['A', 1, 'serial after its series'],
    ['A/61/8#9', 5, 'not a symbol component'],
  ] as const)('%s is refused at offset %i (%s)', (symbol, offset, words) => {
    const error = checkSymbol(symbol);
    expect(error?.offset).toBe(offset);
    expect(error?.message).toContain(words);
  });
});

describe('ordinalNumber (session lines)', () => {
  it.each([
    ['First', 1],
    ['Twelfth', 12],
    ['Twentieth', 20],
    ['Sixty-first', 61],
    ['Seventy-eighth', 78],
    ['Eightieth', 80],
    ['Ninety-ninth', 99],
  ] as const)('%s is %i', (word, n) => {
    expect(ordinalNumber(word)).toBe(n);
  });

  it.each(['Sixty-one', 'Sixty', 'Tenth-first', 'Special'])('%s is not an ordinal', (word) => {
    expect(ordinalNumber(word)).toBeUndefined();
  });
});
