import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import { linkedText, mentionedNames } from '#presenters/post_text'

const REL = 'rel="nofollow noopener ugc"'
const link = (href: string, label = href) => `<a href="${href}" ${REL}>${label}</a>`
const known = new Map([
  ['ada', 7],
  ['bob.', 8],
  ['ünï', 9],
])
const mention = (id: number, name: string) => `<a href="/users/${id}" class="mention">@${name}</a>`

test.group('linkedText: links and mentions in people’s text', (group) => {
  // Mentions link to the profile route.
  group.setup(async () => {
    await import('#start/routes')
    router.commit()
  })

  test('{text}')
    .with([
      {
        text: 'plain <b>bold</b> & "quoted"',
        html: 'plain &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;',
      },
      {
        text: 'see https://example.com/a?b=1&c=2 now',
        html: `see ${link('https://example.com/a?b=1&amp;c=2')} now`,
      },
      {
        text: 'go to www.example.com.',
        html: `go to ${link('http://www.example.com', 'www.example.com')}.`,
      },
      {
        text: '(https://en.wikipedia.org/wiki/Foo_(bar))',
        html: `(${link('https://en.wikipedia.org/wiki/Foo_(bar)')})`,
      },
      { text: '(see http://a.example/x), ok', html: `(see ${link('http://a.example/x')}), ok` },
      { text: 'Done: https://a.example/?q=1!?', html: `Done: ${link('https://a.example/?q=1')}!?` },
      // A quote ends the URL: it cannot leave the attribute.
      {
        text: 'https://a.example/"onmouseover="alert(1)',
        html: `${link('https://a.example/')}&quot;onmouseover=&quot;alert(1)`,
      },
      { text: "https://a.example/it's", html: `${link('https://a.example/it&#39;s')}` },
      {
        text: 'https://a.example/<script>alert(1)</script>',
        html: `${link('https://a.example/')}&lt;script&gt;alert(1)&lt;/script&gt;`,
      },
      {
        text: 'javascript:alert(1) and data:text/html,x',
        html: 'javascript:alert(1) and data:text/html,x',
      },
      {
        text: 'xhttps://glued.example and http:// alone',
        html: 'xhttps://glued.example and http:// alone',
      },
      { text: 'HTTPS://LOUD.EXAMPLE/', html: link('HTTPS://LOUD.EXAMPLE/') },
      {
        text: 'line one\nhttps://a.example\nline three',
        html: `line one\n${link('https://a.example')}\nline three`,
      },
      { text: 'hi @ada!', html: `hi ${mention(7, 'ada')}!` },
      { text: 'hi @ADA, @nobody', html: `hi ${mention(7, 'ADA')}, @nobody` },
      { text: 'mail ada@ada.example', html: 'mail ada@ada.example' },
      { text: 'thanks @ada.', html: `thanks ${mention(7, 'ada')}.` },
      {
        text: 'names may end in a dot: @bob.',
        html: `names may end in a dot: ${mention(8, 'bob.')}`,
      },
      { text: '@ünï says', html: `${mention(9, 'ünï')} says` },
      {
        text: '@ada<img src=x onerror=alert(1)>',
        html: `${mention(7, 'ada')}&lt;img src=x onerror=alert(1)&gt;`,
      },
      { text: '@@ada and @', html: '@@ada and @' },
      { text: 'https://a.example/@ada', html: link('https://a.example/@ada') },
    ])
    .run(({ assert }, { text, html }) => {
      assert.equal(linkedText(text, known), html)
    })

  test('no text, no HTML', ({ assert }) => {
    assert.equal(linkedText(null), '')
    assert.equal(linkedText(''), '')
  })

  test('unknown names stay text, escaped', ({ assert }) => {
    assert.equal(linkedText('@a"b @x&y'), '@a&quot;b @x&amp;y')
  })
})

test.group('mentionedNames', () => {
  test('each name once, lowercase, as written and without a trailing dot; no emails or URLs', ({
    assert,
  }) => {
    assert.deepEqual(
      mentionedNames('@Ada and @ada, @bob. mail me@x.example https://x.example/@carl @dan-'),
      ['ada', 'bob.', 'bob', 'dan-', 'dan']
    )
    assert.deepEqual(mentionedNames(null), [])
  })
})
