import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import app from '@adonisjs/core/services/app'
import Post from '#models/post'
import Report from '#models/report'
import User from '#models/user'
import OutboxEmail from '#models/outbox_email'
import ReportsList from '#commands/reports_list'
import ReportsResolve from '#commands/reports_resolve'
import PostsRemove from '#commands/posts_remove'
import CommentsRemove from '#commands/comments_remove'
import Comment from '#models/comment'
import { CommentService } from '#services/comments/comment_service'
import UsersSuspend from '#commands/users_suspend'
import UsersUnsuspend from '#commands/users_unsuspend'
import UsersShow from '#commands/users_show'
import { FACTORY_PASSWORD, UserFactory } from '#database/factories/user_factory'
import { AccountsService } from '#services/accounts/accounts_service'
import { resetPipeline } from '#tests/integration/helpers/worker'
import { runCommand as run } from '#tests/integration/helpers/commands'
import { resetFeedState } from '#tests/posts_helpers'

/** A report as POST /api/reports writes it. */
function report(reporter: User, target: Post | Comment | User, fields: Partial<Report> = {}) {
  const type = target instanceof Post ? 'post' : target instanceof Comment ? 'comment' : 'user'
  return Report.create({
    reporterId: reporter.id,
    targetType: type,
    targetId: target.id,
    targetUserId: target instanceof User ? target.id : target.userId,
    targetText: target instanceof User ? null : target.text,
    reason: 'spam',
    status: 'open',
    ...fields,
  })
}

const emails = (user: User, kind: OutboxEmail['kind']) =>
  OutboxEmail.query().where({ userId: user.id, kind })

test.group('Moderation commands', (group) => {
  group.setup(async () => {
    await ace.boot()
  })
  group.each.setup(async () => {
    await resetPipeline()
    // Post ids start again with the tables; the Redis post cache must too.
    await resetFeedState()
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('reports:list shows open reports in a table, resolved ones on request, JSON', async ({
    assert,
  }) => {
    const [reporter, author] = await UserFactory.merge([
      { username: 'rita_reporter' },
      { username: 'sam_spammer' },
    ]).createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Cheap\nwatches \u001b[2J here' })
    const open = await report(reporter, post, { note: 'Every day' })
    const closed = await report(reporter, author, { status: 'resolved', action: 'dismiss' })

    const table = await run(ReportsList)
    table.command.assertSucceeded()
    assert.include(table.output, `post ${post.id}`)
    assert.include(table.output, 'sam_spammer')
    assert.include(table.output, 'rita_reporter')
    assert.include(table.output, 'Every day')
    // The reported text on one line, its escape sequence shown, not obeyed.
    assert.include(table.output, 'Cheap watches \\u001b[2J here')
    assert.notInclude(table.output, `user ${author.id}`)

    const resolved = await run(ReportsList, ['--status=resolved'])
    assert.include(resolved.output, `user ${author.id}`)
    assert.include(resolved.output, 'dismiss')

    const json = await run(ReportsList, ['--json'])
    const data = JSON.parse(json.output)
    assert.equal(data.status, 'open')
    assert.deepEqual(
      data.reports.map((each: { id: number }) => each.id),
      [open.id]
    )
    assert.containsSubset(data.reports[0], {
      target: { type: 'post', id: post.id },
      target_user: { id: author.id, username: 'sam_spammer' },
      reason: 'spam',
      note: 'Every day',
      reporter: { id: reporter.id, username: 'rita_reporter' },
      action: null,
    })
    assert.notEqual(closed.id, open.id)
  })

  test("a report outlives its reporter's account, shown as from a deleted account", async ({
    assert,
  }) => {
    const [reporter, author] = await UserFactory.merge([
      { username: 'gone_reporter' },
      { username: 'still_here' },
    ]).createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Still abusive' })
    const kept = await report(reporter, post)
    const accounts = await app.container.make(AccountsService)
    await accounts.deleteAccount(reporter, FACTORY_PASSWORD)

    const table = await run(ReportsList)
    assert.include(table.output, `post ${post.id}`)
    assert.include(table.output, '(deleted account)')
    assert.notInclude(table.output, 'gone_reporter')
    const { reports } = JSON.parse((await run(ReportsList, ['--json'])).output)
    assert.containsSubset(reports, [
      { id: kept.id, reporter: null, target_user: { id: author.id, username: 'still_here' } },
    ])

    const dismissed = await run(ReportsResolve, [String(kept.id), '--action=dismiss'])
    dismissed.command.assertSucceeded()
    await kept.refresh()
    assert.equal(kept.status, 'resolved')
  })

  test('reports:list says when there is nothing, and refuses a bad --status', async () => {
    const none = await run(ReportsList)
    none.command.assertSucceeded()
    none.command.assertLog('[ blue(info) ] No open reports')

    const bad = await run(ReportsList, ['--status=closed'])
    bad.command.assertFailed()
    bad.command.assertLog('[ red(error) ] --status must be one of open, resolved', 'stderr')
  })

  test('reports:resolve --action=remove removes the post and tells its author once', async ({
    assert,
  }) => {
    const [reporter, other, author] = await UserFactory.createMany(3)
    const post = await Post.create({ userId: author.id, text: 'Buy now' })
    const first = await report(reporter, post)
    const second = await report(other, post)

    const { command, output } = await run(ReportsResolve, [
      String(first.id),
      '--action=remove',
      '--note=Advertising',
    ])
    command.assertSucceeded()
    assert.include(output, `Removed post ${post.id} and resolved report ${first.id}`)
    assert.isNull(await Post.find(post.id))
    for (const each of [first, second]) {
      await each.refresh()
      assert.include(each.$attributes, { status: 'resolved', action: 'remove' })
    }
    assert.lengthOf(await emails(author, 'moderation_post_removed'), 1)

    const again = await run(ReportsResolve, [String(first.id), '--action=remove'])
    again.command.assertFailed()
    again.command.assertLog(
      `[ red(error) ] Report ${first.id} is already resolved (remove)`,
      'stderr'
    )
    assert.lengthOf(await emails(author, 'moderation_post_removed'), 1)
  })

  test('reports:resolve --action=suspend and dismiss, with --json', async ({ assert }) => {
    const [reporter, author] = await UserFactory.createMany(2)
    const dismissed = await report(reporter, author)
    const suspended = await report(reporter, author, { reason: 'harassment' })

    const dismiss = await run(ReportsResolve, [String(dismissed.id), '--action=dismiss'])
    dismiss.command.assertSucceeded()
    assert.include(dismiss.output, `Dismissed report ${dismissed.id}`)
    assert.isNull((await User.findOrFail(author.id)).suspendedAt)

    const { command, output } = await run(ReportsResolve, [
      String(suspended.id),
      '--action=suspend',
      '--json',
    ])
    command.assertSucceeded()
    assert.containsSubset(JSON.parse(output), {
      id: suspended.id,
      status: 'resolved',
      action: 'suspend',
      resolution_note: null,
      changed: true,
    })
    const user = await User.findOrFail(author.id)
    assert.isNotNull(user.suspendedAt)
    assert.equal(user.suspensionReason, 'reported for harassment')
    assert.lengthOf(await emails(author, 'moderation_suspended'), 1)
  })

  test('reports:resolve refuses bad input with one line', async () => {
    const [reporter, author] = await UserFactory.createMany(2)
    const aboutUser = await report(reporter, author)
    const cases: [string[], string][] = [
      [['abc', '--action=dismiss'], 'No report "abc" (give its id)'],
      [['999999', '--action=dismiss'], 'No report 999999'],
      [[String(aboutUser.id), '--action=ban'], '--action must be one of dismiss, remove, suspend'],
      [[String(aboutUser.id)], '--action must be one of dismiss, remove, suspend'],
      [
        [String(aboutUser.id), '--action=remove'],
        `Report ${aboutUser.id} is about a user: --action=remove removes posts and comments; use --action=suspend`,
      ],
      [
        [String(aboutUser.id), '--action=dismiss', `--note=${'x'.repeat(1001)}`],
        '--note can be at most 1000 characters long',
      ],
    ]
    for (const [argv, message] of cases) {
      const { command } = await run(ReportsResolve, argv)
      command.assertFailed()
      command.assertLog(`[ red(error) ] ${message}`, 'stderr')
    }
  })

  test('posts:remove removes a post and emails its author; an unknown one fails', async ({
    assert,
  }) => {
    const author = await UserFactory.create()
    const post = await Post.create({ userId: author.id, text: 'Spam' })

    const { command, output } = await run(PostsRemove, [String(post.id), '--reason=Spam'])
    command.assertSucceeded()
    assert.include(output, `Removed post ${post.id}; its author is told by email`)
    assert.isNull(await Post.find(post.id))
    const [email] = await emails(author, 'moderation_post_removed')
    assert.include(email.payload, { text: 'Spam', reason: 'Spam' })

    const gone = await run(PostsRemove, [String(post.id)])
    gone.command.assertFailed()
    gone.command.assertLog(`[ red(error) ] No post ${post.id}`, 'stderr')
    const bad = await run(PostsRemove, ['first'])
    bad.command.assertLog('[ red(error) ] No post "first" (give its id)', 'stderr')
  })

  test('comments:remove and reports:resolve --action=remove take a comment off its post', async ({
    assert,
  }) => {
    const [reporter, author, commenter] = await UserFactory.createMany(3)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const comments = await app.container.make(CommentService)
    const first = await comments.create(commenter, post.id, 'Rude')
    const second = await comments.create(commenter, post.id, 'Ruder')
    const aboutFirst = await report(reporter, first)
    const aboutSecond = await report(reporter, second)

    const removed = await run(CommentsRemove, [String(first.id), '--reason=Harassment'])
    removed.command.assertSucceeded()
    assert.include(removed.output, `Removed comment ${first.id}`)
    assert.isNull(await Comment.find(first.id))
    await aboutFirst.refresh()
    assert.include(aboutFirst.$attributes, {
      status: 'resolved',
      action: 'remove',
      resolutionNote: 'Harassment',
      targetText: 'Rude',
    })

    const resolved = await run(ReportsResolve, [String(aboutSecond.id), '--action=remove'])
    resolved.command.assertSucceeded()
    assert.include(resolved.output, `Removed comment ${second.id} and resolved report`)
    assert.isNull(await Comment.find(second.id))
    assert.equal((await Post.findOrFail(post.id)).commentsCount, 0)
    // No email for a comment: the contract owes one for a removed post only.
    assert.lengthOf(await emails(commenter, 'moderation_post_removed'), 0)

    const gone = await run(CommentsRemove, [String(first.id)])
    gone.command.assertFailed()
    gone.command.assertLog(`[ red(error) ] No comment ${first.id}`, 'stderr')
    const bad = await run(CommentsRemove, ['x1'])
    bad.command.assertLog('[ red(error) ] No comment "x1" (give its id)', 'stderr')
  })

  test('users:suspend and users:unsuspend by id or username, each once', async ({ assert }) => {
    const user = await UserFactory.merge({ username: 'sam_spammer' }).create()
    const [reporter, bystander] = await UserFactory.createMany(2)
    const aboutThem = await report(reporter, user)
    const aboutTheirPost = await report(
      reporter,
      await Post.create({ userId: user.id, text: 'Buy now' })
    )
    const aboutSomeoneElse = await report(
      reporter,
      await Post.create({ userId: bystander.id, text: 'Hello' })
    )

    const suspend = await run(UsersSuspend, ['sam_spammer', '--reason=Spam'])
    suspend.command.assertSucceeded()
    assert.include(suspend.output, 'Suspended sam_spammer')
    assert.isNotNull((await User.findOrFail(user.id)).suspendedAt)
    // The open reports about them and what they wrote are settled with it; no one else's.
    for (const settled of [aboutThem, aboutTheirPost]) {
      await settled.refresh()
      assert.containsSubset(settled.serialize(), { status: 'resolved', action: 'suspend' })
      assert.equal(settled.resolutionNote, 'Spam')
    }
    await aboutSomeoneElse.refresh()
    assert.equal(aboutSomeoneElse.status, 'open')

    const again = await run(UsersSuspend, [String(user.id), '--reason=Spam'])
    again.command.assertFailed()
    again.command.assertLog('[ red(error) ] sam_spammer is already suspended', 'stderr')
    assert.lengthOf(await emails(user, 'moderation_suspended'), 1)
    const shown = await run(UsersShow, ['sam_spammer', '--json'])
    assert.equal(JSON.parse(shown.output).suspension_reason, 'Spam')
    assert.include((await run(UsersShow, ['sam_spammer'])).output, 'Spam')

    const lift = await run(UsersUnsuspend, [String(user.id)])
    lift.command.assertSucceeded()
    assert.include(lift.output, 'sam_spammer may sign in again')
    assert.isNull((await User.findOrFail(user.id)).suspendedAt)

    const notSuspended = await run(UsersUnsuspend, ['sam_spammer'])
    notSuspended.command.assertLog('[ red(error) ] sam_spammer is not suspended', 'stderr')
  })

  test('users:suspend needs a reason and a known user', async () => {
    await UserFactory.merge({ username: 'sam_spammer' }).create()
    const cases: [string[], string][] = [
      [['sam_spammer', '--reason=  '], '--reason is required: the user is told why'],
      [['sam_spammer'], '--reason is required: the user is told why'],
      [
        ['sam_spammer', '--reason=a', '--reason=b'],
        'Give --reason once: each was given more than once',
      ],
      [['nobody_here', '--reason=Spam'], 'No user "nobody_here" (give an id or a username)'],
      [
        ['sam_spammer', '--reason=a\u202Eb'],
        '--reason contains a character we do not accept (U+202E)',
      ],
    ]
    for (const [argv, message] of cases) {
      const { command } = await run(UsersSuspend, argv)
      command.assertFailed()
      command.assertLog(`[ red(error) ] ${message}`, 'stderr')
    }
    const unknown = await run(UsersUnsuspend, ['nobody_here'])
    unknown.command.assertLog(
      '[ red(error) ] No user "nobody_here" (give an id or a username)',
      'stderr'
    )
  })
})
