import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'

/**
 * The one rule for text people write and others read: usernames, names,
 * the bio, posts and comments. Refused, because they hide or disguise
 * text:
 * - C0 and C1 controls and DEL (ESC starts the terminal sequences that
 *   reached the admin's screen through the commands), line and paragraph
 *   separators; multi-line fields keep tab, line feed and carriage return;
 * - bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C),
 *   which make text read backwards;
 * - Hangul fillers (U+115F, U+1160, U+3164, U+FFA0): letters that show as
 *   blank, so a name made of them looks empty or like someone else's;
 * - every other default-ignorable code point (U+200B, U+FEFF, U+00AD, …),
 *   which shows as nothing — except the joiners and selectors of emoji
 *   sequences (👩‍💻, ❤️, 🏴󠁧󠁢󠁳󠁣󠁴󠁿), which draw one picture;
 * - half of a UTF-16 surrogate pair (JSON's "\ud800" alone): no character
 *   at all, which MySQL would store as U+FFFD, not as the 201 echoed it.
 */
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/u
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/u
const BIDI = /\p{Bidi_Control}/u
const HANGUL_FILLER = /[\u115F\u1160\u3164\uFFA0]/u
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u
// With the u flag a pair reads as one code point: only a lone half matches.
const LONE_SURROGATE = /\p{Surrogate}/u

/**
 * Emoji sequences, whose invisible parts are allowed: pictographs joined by
 * ZWJ (each with its skin tone or VS16), a pictograph with a presentation
 * selector, a keycap, and a subdivision flag's tag sequence. Nothing wider:
 * \p{Emoji} includes digits, # and *, so "1" + VS16 or + tag characters
 * would be an invisible twin of "1", or text hidden in tags.
 */
const PICTOGRAPH = String.raw`\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)?`
const EMOJI_SEQUENCE = new RegExp(
  [
    String.raw`${PICTOGRAPH}(?:\u200D${PICTOGRAPH})+`,
    String.raw`\p{Extended_Pictographic}[\uFE0E\uFE0F]`,
    String.raw`[#*0-9]\uFE0F\u20E3`,
    // 🏴 then a region code (gbsct: Scotland) in tag letters and digits, then CANCEL TAG.
    String.raw`\u{1F3F4}[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{1,6}\u{E007F}`,
  ].join('|'),
  'gu'
)

export type TextRefusal =
  'controlCharacters' | 'hangulFillers' | 'invisibleCharacters' | 'brokenCharacters'

const codePoint = (character: string) =>
  `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`

/**
 * What the text rule refuses in `value`, and the first character that
 * makes it refuse (as `U+XXXX`), or null when the text is fine.
 */
export function refusedCharacter(
  value: string,
  options: { multiline?: boolean } = {}
): { rule: TextRefusal; character: string; direction: boolean } | null {
  const outsideEmoji = value.replace(EMOJI_SEQUENCE, '')
  const checks: [RegExp, TextRefusal][] = [
    [options.multiline ? CONTROL_MULTILINE : CONTROL, 'controlCharacters'],
    [BIDI, 'controlCharacters'],
    [HANGUL_FILLER, 'hangulFillers'],
    [INVISIBLE, 'invisibleCharacters'],
    [LONE_SURROGATE, 'brokenCharacters'],
  ]
  for (const [pattern, rule] of checks) {
    const found = pattern.exec(outsideEmoji)?.[0]
    if (found) return { rule, character: codePoint(found), direction: pattern === BIDI }
  }
  return null
}

/**
 * `.use(plainText())` on every text field, before `trim()` (which would
 * silently drop a leading U+FEFF); `{ multiline: true }` for long text.
 * The messages are in app/validators/messages.ts.
 */
export const plainText = vine.createRule(
  (value: unknown, options: { multiline?: boolean } | undefined, field: FieldContext) => {
    if (typeof value !== 'string') return
    const refused = refusedCharacter(value, options)
    if (refused) {
      field.report('The {{ field }} contains a character we do not accept', refused.rule, field, {
        character: refused.character,
        direction: refused.direction,
        multiline: Boolean(options?.multiline),
      })
    }
  }
)
