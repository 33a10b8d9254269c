import { test } from '@japa/runner'
import vine, { errors } from '@vinejs/vine'
import { plainText, refusedCharacter } from '#validators/text'
import { createPostValidator } from '#validators/post'
import { usernameSkeleton } from '#helpers/username_skeleton'

const ZWJ = '\u200D'

/** Every code point the contract names, each refused wherever it stands. */
const BIDI_CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E']
const ISOLATES = ['\u2066', '\u2067', '\u2068', '\u2069']
const HANGUL_FILLERS = ['\u115F', '\u1160', '\u3164', '\uFFA0']
const INVISIBLES = ['\u200B', '\u200C', '\u2060', '\uFEFF', '\u00AD', '\u034F', '\uFE00']
const MARKS = ['\u200E', '\u200F', '\u061C']

const hex = (character: string) =>
  `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`

const single = vine.compile(vine.object({ name: vine.string().use(plainText()).trim() }))

async function refusalOf(name: string) {
  try {
    await single.validate({ name })
    return null
  } catch (error) {
    if (!(error instanceof errors.E_VALIDATION_ERROR)) throw error
    const [message] = error.messages as { rule: string; message: string }[]
    return message
  }
}

test.group('Text rule (app/validators/text.ts)', () => {
  test('hole 9: bidi controls and isolates are refused, as characters that turn text', async ({
    assert,
  }) => {
    for (const character of [...BIDI_CONTROLS, ...ISOLATES, ...MARKS]) {
      for (const text of [`a${character}b`, `${character}ab`, `ab${character}`]) {
        const refused = await refusalOf(text)
        assert.equal(refused?.rule, 'controlCharacters', hex(character))
        assert.equal(
          refused?.message,
          `The name must not contain characters that change the direction of text (found ${hex(character)})`
        )
      }
    }
  })

  test('hole 9: other default-ignorable code points are refused as invisible', async ({
    assert,
  }) => {
    for (const character of [...INVISIBLES, '\u{E0041}', '\u{1D173}']) {
      const refused = await refusalOf(`a${character}b`)
      assert.equal(refused?.rule, 'invisibleCharacters', hex(character))
      assert.equal(
        refused?.message,
        `The name must not contain invisible characters such as zero-width spaces (found ${hex(character)})`
      )
    }
    // Even where trim() would have dropped it silently.
    assert.equal((await refusalOf('\uFEFFname'))?.rule, 'invisibleCharacters')
  })

  test('hole 8: Hangul fillers are refused, alone or padding a name', async ({ assert }) => {
    for (const character of HANGUL_FILLERS) {
      for (const text of [character, character.repeat(3), `ada${character}`, `${character}ada`]) {
        const refused = await refusalOf(text)
        assert.equal(refused?.rule, 'hangulFillers', hex(character))
        assert.equal(
          refused?.message,
          `The name must not contain Hangul filler characters, which show as blank space (found ${hex(character)})`
        )
      }
    }
    // Hangul itself is fine.
    assert.isNull(await refusalOf('한글 이름'))
  })

  test('hole 9: a ZWJ joins emoji only: a lone or stray one is refused', async ({ assert }) => {
    for (const text of [ZWJ, `a${ZWJ}b`, `ab${ZWJ}`, `👩${ZWJ}`, `${ZWJ}💻`, `👩${ZWJ}a`]) {
      assert.equal((await refusalOf(text))?.rule, 'invisibleCharacters', JSON.stringify(text))
    }
  })

  test('emoji sequences stay allowed: ZWJ, skin tones, VS16, keycaps, flags', async ({
    assert,
  }) => {
    const emoji = [
      '👩‍💻', // woman technologist: 👩 ZWJ 💻
      '👨‍👩‍👧', // family: two ZWJs
      '🏳️‍🌈', // rainbow flag: VS16 then ZWJ
      '🏴‍☠️', // pirate flag: ZWJ then VS16
      '👩🏽‍🚀', // skin tone then ZWJ
      '🧑🏻‍🤝‍🧑🏿',
      '❤️', // VS16 alone
      '1️⃣', // keycap
      '🇫🇷', // regional indicators
      '🏴󠁧󠁢󠁳󠁣󠁴󠁿', // Scotland: tag sequence
    ]
    for (const text of emoji) {
      assert.isNull(refusedCharacter(text), text)
      assert.isNull(await refusalOf(`Ada ${text} Lovelace`), text)
    }
    assert.isNull(refusedCharacter('zoë, Łukasz, 日本語, عربي, עברית'))
  })

  test('emoji selectors and tags hide nothing: VS16 after a digit, tags after anything but 🏴', async ({
    assert,
  }) => {
    const tags = (text: string) =>
      [...text].map((c) => String.fromCodePoint(0xe0000 + c.codePointAt(0)!)).join('')
    for (const text of [
      'Bob1\uFE0F', // an invisible twin of Bob1
      'Bob#\uFE0E',
      `hello 1${tags('secret instructions, hidden here')}\u{E007F}`,
      `hello 🏳${tags('gbsct')}\u{E007F}`, // tags after another flag
      `🏴${tags('gbsctland')}\u{E007F}`, // longer than any region code
      `🏴${tags('GB')}\u{E007F}`, // capitals are not in region codes
    ]) {
      assert.equal((await refusalOf(text))?.rule, 'invisibleCharacters', JSON.stringify(text))
    }
    for (const text of ['🏴󠁧󠁢󠁳󠁣󠁴󠁿', '❤️', '1️⃣', '#️⃣', '👩‍💻', '☺︎']) {
      assert.isNull(await refusalOf(`Ada ${text}`), text)
    }
    // The skeleton drops what the rule lets through, so a twin cannot register either.
    assert.equal(usernameSkeleton('Bob1\uFE0F'), usernameSkeleton('Bob1'))
  })

  test('control characters: single-line text refuses line breaks, multi-line keeps them', async ({
    assert,
  }) => {
    for (const character of ['\u0000', '\u0007', '\u001B', '\u007F', '\u0085', '\u2028']) {
      assert.equal(refusedCharacter(`a${character}b`)?.rule, 'controlCharacters', hex(character))
      assert.equal(
        refusedCharacter(`a${character}b`, { multiline: true })?.rule,
        'controlCharacters',
        hex(character)
      )
    }
    assert.equal(refusedCharacter('a\nb')?.rule, 'controlCharacters')
    assert.isNull(refusedCharacter('a\nb\tc\r\n', { multiline: true }))
    assert.equal(
      (await refusalOf('a\u0007b'))?.message,
      'The name must not contain control characters (found U+0007)'
    )
  })

  test('half of a surrogate pair is refused; a whole pair (an emoji) is not', async ({
    assert,
  }) => {
    for (const text of ['lone \uD800 high', 'lone \uDC00 low', '\uDFFF', 'reversed \uDE00\uD83D']) {
      assert.equal((await refusalOf(text))?.rule, 'brokenCharacters', JSON.stringify(text))
    }
    assert.equal(
      (await refusalOf('a\uD800'))?.message,
      'The name contains half of a character, which cannot be stored (found U+D800)'
    )
    assert.isNull(await refusalOf('a \uD83D\uDE00 smile'))
  })

  test('posts use the same rule: no drifted copy', async ({ assert }) => {
    for (const [text, rule] of [
      ['over\u202Eride', 'controlCharacters'],
      ['zero\u200Bwidth', 'invisibleCharacters'],
      ['blank \u3164', 'hangulFillers'],
      ['broken \uD800', 'brokenCharacters'],
    ]) {
      try {
        await createPostValidator.validate({ text })
        assert.fail(`${JSON.stringify(text)} was accepted`)
      } catch (error) {
        assert.instanceOf(error, errors.E_VALIDATION_ERROR)
        assert.equal(error.messages[0].rule, rule)
      }
    }
    const post = await createPostValidator.validate({ text: 'line\n👨‍👩‍👧 ❤️' })
    assert.equal(post.text, 'line\n👨‍👩‍👧 ❤️')
  })

  test('hole 8: a username padded with fillers or zero-width characters has the plain skeleton', ({
    assert,
  }) => {
    for (const padding of [...HANGUL_FILLERS, '\u200B', '\uFEFF']) {
      assert.equal(usernameSkeleton(`${padding}admin${padding}`), usernameSkeleton('admin'))
    }
  })
})
