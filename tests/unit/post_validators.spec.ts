import { test } from '@japa/runner'
import { createPostValidator, updatePostValidator } from '#validators/post'

async function errorsOf(promise: Promise<unknown>) {
  try {
    await promise
    return []
  } catch (error) {
    return error.messages.map((m: { field: string; rule: string }) => `${m.field}:${m.rule}`)
  }
}

test.group('createPostValidator', () => {
  test('trims the text and stores line breaks as LF', async ({ assert }) => {
    const out = await createPostValidator.validate({ text: '  one\r\ntwo \n' })
    assert.equal(out.text, 'one\ntwo')
  })

  test('text or a picture is required; blank text counts as none', async ({ assert }) => {
    for (const data of [{}, { text: null }, { text: '' }, { text: ' \n\t ' }]) {
      assert.deepEqual(await errorsOf(createPostValidator.validate(data)), ['text:required'])
      // A picture alone is a post: the message says so, not "fill in the text".
      const refused = await createPostValidator.validate(data).catch((error) => error)
      assert.equal(refused.messages[0].message, 'Write something or add a picture')
    }
  })

  test('at most 500 characters after trimming', async ({ assert }) => {
    assert.isEmpty(await errorsOf(createPostValidator.validate({ text: ` ${'a'.repeat(500)} ` })))
    assert.deepEqual(await errorsOf(createPostValidator.validate({ text: 'a'.repeat(501) })), [
      'text:maxLength',
    ])
  })

  test('control characters are refused; tabs, line breaks and emoji are fine', async ({
    assert,
  }) => {
    for (const bad of ['a\u0000b', 'bell\u0007', 'esc\u001b[31m', 'del\u007f', 'c1\u0085']) {
      assert.deepEqual(await errorsOf(createPostValidator.validate({ text: bad })), [
        'text:controlCharacters',
      ])
    }
    assert.isEmpty(await errorsOf(createPostValidator.validate({ text: 'a\tb\nc 🎉 é' })))
  })

  test('text must be a string', async ({ assert }) => {
    assert.deepEqual(await errorsOf(createPostValidator.validate({ text: 5 })), ['text:string'])
  })
})

test.group('updatePostValidator', () => {
  test('text may be null or absent (the service decides what an edit must change)', async ({
    assert,
  }) => {
    assert.isUndefined((await updatePostValidator.validate({})).text)
    assert.deepEqual(await errorsOf(updatePostValidator.validate({ audience: 'everyone' })), [
      'audience:enum',
    ])
    assert.equal((await updatePostValidator.validate({ audience: 'friends' })).audience, 'friends')
    assert.isNull((await updatePostValidator.validate({ text: null })).text)
    assert.isNull((await updatePostValidator.validate({ text: '  ' })).text)
    assert.equal((await updatePostValidator.validate({ text: ' new ' })).text, 'new')
  })
})
