// The like button of every post: without this file it is a plain form (a
// PUT or DELETE through `_method`) that reloads the page; with it, the form
// is sent with fetch and the button and count change in place. The server
// answers a request that asks for JSON with `{liked, likes_count}`.
const label = (count) => `${count} ${count === 1 ? 'like' : 'likes'}`

document.addEventListener('submit', async (event) => {
  const form = event.target
  if (!(form instanceof HTMLFormElement) || !form.matches('[data-like-form]')) return
  event.preventDefault()
  const button = form.querySelector('[data-like-button]')
  if (button.disabled) return
  button.disabled = true
  try {
    const response = await fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    })
    const json = (response.headers.get('content-type') ?? '').includes('application/json')
    // A refusal (an unconfirmed email, a rate limit): the page says why.
    if (!response.ok || !json) return form.submit()
    const { liked, likes_count: count } = await response.json()
    const url = new URL(form.action)
    url.searchParams.set('_method', liked ? 'DELETE' : 'PUT')
    form.action = url.toString()
    button.textContent = liked ? 'Unlike' : 'Like'
    button.setAttribute('aria-pressed', String(liked))
    const counter = form.parentElement.querySelector('[data-like-count]')
    if (counter) counter.textContent = label(count)
  } catch {
    form.submit()
  } finally {
    button.disabled = false
  }
})
