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
    ['a text-style emoji (VS15)', 'Call ☎\uFE0E 1800'],
    ['a character outside the BMP (a surrogate pair)', 'Thanks 🙏 𑒥'],
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
    // Variation selectors hide bytes after a visible character the way tags do ("emoji
    // smuggling": one selector per byte), and Hangul fillers make a name or subject look blank.
    [
      'variation selectors hiding bytes',
      `Asha${String.fromCodePoint(0xe0100 + 0x41, 0xe0100 + 0x42)}`,
      'U+E0141',
    ],
    ['a CJK variation selector after a Latin letter', 'A\uFE00sha', 'U+FE00'],
    ['a Hangul filler as a blank name', '\u3164\u3164', 'U+3164'],
    ['a half-width Hangul filler', 'Asha\uFFA0', 'U+FFA0'],
    ['a Hangul choseong filler', '\u115FAsha', 'U+115F'],
    ['a combining grapheme joiner', 'As\u034Fha', 'U+034F'],
    ['a deprecated format character', 'Asha\u206AVerma', 'U+206A'],
    ['an interlinear annotation hiding text', 'Refund\uFFF9 500\uFFFA 5000\uFFFB', 'U+FFF9'],
    ['a Khmer inherent vowel', 'As\u17B4ha', 'U+17B4'],
    // Valid JSON ("\ud800"), not Unicode: jsonb refuses it (the unmask reason's audit entry).
    ['an unpaired high surrogate', 'Call back \uD800 now', 'valid Unicode'],
    ['an unpaired low surrogate', '\uDC00Asha', 'valid Unicode'],
  ])('refuses %s', (_name, text, problem) => {
    expect(hiddenCharacterProblem(text)).toContain(problem);
  });
});
