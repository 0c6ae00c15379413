import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Control characters other than tab, line feed and carriage return (C0, DEL and C1): they break
 * portals' forms, logs and the citizen's view, and PostgreSQL refuses NUL in text.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/**
 * Characters a reader cannot see that change what they see: bidi embeddings, overrides and
 * isolates; zero-width space, word joiner and invisible operators; BOM; soft hyphen; Mongolian
 * vowel separator; Unicode tags. Also what hides text or data the same way: variation selectors
 * other than the emoji ones (VS15, VS16), which carry a byte each after any visible character;
 * Hangul fillers (a "blank" name); the combining grapheme joiner, Khmer inherent vowels,
 * Mongolian free variation selectors, deprecated format characters, interlinear annotations
 * (which hide the annotated text), shorthand and musical format controls.
 * LRM, RLM and ALM stay: Urdu and Sindhi mixed with digits need them.
 */
const HIDDEN =
  // eslint-disable-next-line no-misleading-character-class -- combining marks listed one by one on purpose
  /[\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFE00-\uFE0D\uFEFF\uFFA0\uFFF9-\uFFFB\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/u;
/**
 * ZWNJ and ZWJ shape Indic conjuncts (half forms), Malayalam chillus, Persian and Urdu words, and emoji
 * sequences: allowed right after a character of those scripts or an emoji, nowhere else.
 */
const STRAY_JOINER =
  // eslint-disable-next-line no-misleading-character-class -- script ranges hold combining marks on purpose
  /(?<![\u0600-\u06FF\u0900-\u0DFF\p{Extended_Pictographic}]|\p{Emoji_Modifier}|\uFE0F)[\u200C\u200D]/u;

/** In u-mode a surrogate pair is one code point: only an unpaired surrogate matches. */
const LONE_SURROGATE = /\p{Cs}/u;

const codePoint = (ch: string) =>
  `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `text` may not be shown to people as it is, or null when it may. */
export function hiddenCharacterProblem(text: string): string | null {
  if (CONTROL_CHARACTER.test(text)) return 'must not contain control characters';
  // "\ud800" is valid JSON but not text: PostgreSQL's jsonb refuses it (the audit of an unmask
  // reason), and text columns would silently store U+FFFD instead.
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (an unpaired surrogate)';
  const hidden = HIDDEN.exec(text) ?? STRAY_JOINER.exec(text);
  return hidden
    ? `must not contain invisible or direction-changing characters (${codePoint(hidden[0])})`
    : null;
}

/**
 * Free text people will read (names, subjects, descriptions, addresses, comments, reasons):
 * no control characters but tab and line breaks, no hidden or direction-changing characters.
 * Other types pass: the field's type check reports them, once.
 */
export function NoHiddenCharacters(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'noHiddenCharacters',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !hiddenCharacterProblem(value),
        defaultMessage: (args) =>
          `${args?.property} ${hiddenCharacterProblem(String(args?.value))}`,
      },
    },
    options,
  );
}
