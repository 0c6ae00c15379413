import { hiddenCharacterProblem } from './no-hidden-characters';

describe('hidden characters in text people read', () => {
  it.each([
    ['plain English', 'Streetlights off on Ring Road'],
    ['tab and line breaks', 'Line one\r\nLine two\tcolumn'],
    ['Hindi', 'सड़क की बत्तियाँ बंद हैं'],
    ['a Hindi conjunct with ZWJ', 'क्\u200Dष'],
    ['Hindi with ZWNJ', 'क्\u200Cष'],
    ['a Malayalam chillu at the end of a word', 'അവന്\u200D വന്നു'],
    ['Bengali ya-phala', 'র\u200D্যাব'],
    ['Persian with ZWNJ', 'می\u200Cخواهم'],
    ['Urdu with an RLM before digits', 'سڑک \u200F12 نمبر'],
    ['an LRM', 'Ward\u200E 12'],
    ['an emoji ZWJ sequence', 'Thanks 👨\u200D👩\u200D👧 family'],
    ['an emoji with VS16 and ZWJ', 'Fixed ❤\uFE0F\u200D🔥'],
    ['a skin-tone emoji and ZWJ', 'Officer 👮🏽\u200D♀️ helped'],
  ])('accepts %s', (_name, text) => {
    expect(hiddenCharacterProblem(text)).toBeNull();
  });

  it.each([
    ['a NUL', 'Lights\u0000off', 'control characters'],
    ['an escape', 'Lights\u001B[31m', 'control characters'],
    ['DEL', 'Lights\u007F', 'control characters'],
    ['a C1 control', 'Lights\u0085off', 'control characters'],
    ['a right-to-left override', '\u202Eevil\u202C', 'U+202E'],
    ['a left-to-right embedding', 'a\u202Ab', 'U+202A'],
    ['a first-strong isolate', 'a\u2068b\u2069', 'U+2068'],
    ['a zero-width space', 'Asha\u200BVerma', 'U+200B'],
    ['a word joiner', 'Asha\u2060Verma', 'U+2060'],
    ['a BOM', '\uFEFFAsha', 'U+FEFF'],
    ['a soft hyphen', 'As\u00ADha', 'U+00AD'],
    ['a Unicode tag', 'Asha\u{E0041}', 'U+E0041'],
    ['a ZWJ between Latin letters', 'As\u200Dha', 'U+200D'],
    ['a ZWNJ at the start', '\u200CAsha', 'U+200C'],
    ['two ZWJ after a Hindi letter', 'क\u200D\u200Dष', 'U+200D'],
  ])('refuses %s', (_name, text, problem) => {
    expect(hiddenCharacterProblem(text)).toContain(problem);
  });
});
