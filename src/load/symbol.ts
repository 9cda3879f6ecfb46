/**
 * The UN document-symbol grammar (un-format.md, "Symbols"): a series (A, S, E, ST…), then
 * components — subsidiary bodies (C.3, AC.105, WG.6, HRC), a session or year, special-session
 * marks (ES-10, S-27) — ending in a serial (859, L.12, PV.83), then any changes: /Add.n, /Corr.n,
 * /Rev.n, /Amend.n.
 */

/** Series that open a symbol: the principal organs and the common bodies that issue their own. */
export const SYMBOL_SERIES: Readonly<Record<string, string>> = {
  A: 'General Assembly',
  S: 'Security Council',
  E: 'Economic and Social Council',
  T: 'Trusteeship Council',
  ST: 'Secretariat',
  DP: 'UNDP/UNFPA/UNOPS Executive Board',
  TD: 'UNCTAD',
  UNEP: 'UN Environment Programme',
  UNW: 'UN-Women Executive Board',
  ECE: 'Economic Commission for Europe',
  LC: 'Economic Commission for Latin America and the Caribbean',
  CD: 'Conference on Disarmament',
  CAT: 'Committee against Torture',
  CCPR: 'Human Rights Committee',
  CEDAW: 'Committee on the Elimination of Discrimination against Women',
  CERD: 'Committee on the Elimination of Racial Discrimination',
  CMW: 'Committee on Migrant Workers',
  CRC: 'Committee on the Rights of the Child',
  CRPD: 'Committee on the Rights of Persons with Disabilities',
  CED: 'Committee on Enforced Disappearances',
  FCCC: 'UN Framework Convention on Climate Change',
};

/** A symbol that breaks the grammar: where (offset in the symbol) and why. */
export interface SymbolError {
  /** UTF-16 offset of the offending component in the symbol. */
  readonly offset: number;
  readonly message: string;
  readonly hint?: string;
}

const CHANGE = /^(Add|Corr|Rev|Amend)\.([1-9]\d*)$/;
const CHANGE_LIKE = /^(add|corr|rev|amend)\W?\d*$/i;
const NUMBER = /^\d+$/;
/** A body or a serial with a dot: C.3, AC.105, WG.6, CN.4, Sub.2, L.12, PV.83, SR.5. */
const BODY = /^[A-Z][A-Za-z]*(\.\d+)*$/;
const SPECIAL_SESSION = /^(ES|S)-\d+$/;
const SERIAL = /^(\d+|[A-Z][A-Za-z]*\.\d+)$/;

/** Checks a symbol; undefined when it follows the grammar. */
export function checkSymbol(symbol: string): SymbolError | undefined {
  const space = /\s/.exec(symbol);
  if (space) return { offset: space.index, message: 'a symbol contains no spaces' };
  const parts = symbol.split('/');
  const offsets: number[] = [];
  let at = 0;
  for (const p of parts) {
    offsets.push(at);
    at += p.length + 1;
  }
  const empty = parts.indexOf('');
  if (empty >= 0) {
    return {
      offset: offsets[empty] ?? 0,
      message: 'an empty component (two slashes, or a slash at an end)',
    };
  }
  const series = parts[0] ?? '';
  if (!(series in SYMBOL_SERIES)) {
    return {
      offset: 0,
      message: `\`${series}\` is not a UN symbol series`,
      hint: 'a symbol starts with its series: A (General Assembly), S (Security Council), E (Economic and Social Council), ST (Secretariat), …',
    };
  }
  if (parts.length < 2) {
    return {
      offset: symbol.length,
      message: 'a symbol has a serial after its series, e.g. A/61/859',
    };
  }
  let changes = false;
  let lastSerial = -1;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i] ?? '';
    const offset = offsets[i] ?? 0;
    if (CHANGE.test(p)) {
      changes = true;
      continue;
    }
    if (CHANGE_LIKE.test(p)) {
      const word = /^[a-z]+/i.exec(p)?.[0] ?? '';
      const proper = `${word.charAt(0).toUpperCase()}${word.slice(1).toLowerCase()}`;
      return {
        offset,
        message: `\`${p}\` is not a change component`,
        hint: `write \`${proper}.n\` with n from 1, e.g. \`${proper}.1\``,
      };
    }
    if (changes) {
      return {
        offset,
        message: `\`${p}\` follows a change component; /Add.n, /Corr.n, /Rev.n, /Amend.n come last`,
      };
    }
    if (!NUMBER.test(p) && !BODY.test(p) && !SPECIAL_SESSION.test(p)) {
      return {
        offset,
        message: `\`${p}\` is not a symbol component`,
        hint: 'components are bodies (C.3, AC.105, WG.6, HRC), sessions or years (61, 2007), serials (859, L.12)',
      };
    }
    lastSerial = i;
  }
  const last = parts[lastSerial] ?? '';
  if (lastSerial < 1 || !SERIAL.test(last)) {
    return {
      offset: offsets[Math.max(lastSerial, 0)] ?? 0,
      message: `a symbol ends with its serial number (859, L.12), not \`${last}\``,
      hint: 'e.g. A/61/859, A/C.3/61/L.12, S/2007/190/Rev.1',
    };
  }
  return undefined;
}
