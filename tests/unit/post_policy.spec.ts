import { test } from '@japa/runner'
import PostPolicy from '#policies/post_policy'
import type User from '#models/user'

test.group('PostPolicy', () => {
  const author = { id: 7 } as User
  const other = { id: 8 } as User
  const post = { userId: 7 }

  test('the author may edit and delete', ({ assert }) => {
    assert.isTrue(new PostPolicy().update(author, post))
    assert.isTrue(new PostPolicy().delete(author, post))
  })

  test('nobody else may', ({ assert }) => {
    assert.isFalse(new PostPolicy().update(other, post))
    assert.isFalse(new PostPolicy().delete(other, post))
  })
})
