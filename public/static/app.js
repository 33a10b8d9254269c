// Progressive enhancements; every page works without this file.
// Loaded from /static/ only: no inline scripts or handlers, so a strict CSP fits.
document.addEventListener('DOMContentLoaded', () => {
  // After a failed submit, put the keyboard on the first field in error.
  const invalid = document.querySelector('[aria-invalid="true"]')
  if (invalid) invalid.focus()

  // Preview a chosen profile picture before it is uploaded.
  const input = document.querySelector('input[type="file"][name="profile_picture"]')
  const preview = input && input.closest('.picture-field')?.querySelector('img.avatar')
  if (input && preview) {
    const original = { src: preview.src, alt: preview.alt }
    let objectUrl = null
    input.addEventListener('change', () => {
      if (objectUrl) URL.revokeObjectURL(objectUrl)
      objectUrl = null
      const [file] = input.files
      if (file && file.type.startsWith('image/')) {
        objectUrl = URL.createObjectURL(file)
        preview.src = objectUrl
        preview.alt = 'Preview of the new profile picture'
      } else {
        // Nothing chosen, or not an image: show the current picture again.
        preview.src = original.src
        preview.alt = original.alt
      }
    })
  }

  // Times: the server wrote "5 min ago" and the exact time in UTC (title);
  // here both follow the viewer's zone, and the words stay current.
  const exact = new Intl.DateTimeFormat(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  })
  const dayOf = (date) => date.toDateString()
  const relative = (date, now) => {
    const minutes = Math.floor((now - date) / 60_000)
    if (minutes < 1) return 'just now'
    if (minutes < 60) return `${minutes} min ago`
    if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ago`
    if (dayOf(date) === dayOf(new Date(now - 86_400_000))) return 'yesterday'
    const day = `${date.getDate()} ${date.toLocaleString('en', { month: 'short' })}`
    return date.getFullYear() === now.getFullYear() ? day : `${day} ${date.getFullYear()}`
  }
  const showTimes = () => {
    const now = new Date()
    for (const time of document.querySelectorAll('time[data-relative]')) {
      const date = new Date(time.dateTime)
      if (Number.isNaN(date.getTime())) continue
      time.title = exact.format(date)
      time.textContent = relative(date, now)
    }
  }
  showTimes()
  setInterval(showTimes, 60_000)

  // A live character count under the post composer (the server counts the same way:
  // line breaks as one character, surrounding spaces trimmed).
  for (const counter of document.querySelectorAll('[data-count-for]')) {
    const field = document.getElementById(counter.dataset.countFor)
    const max = Number(counter.dataset.max)
    if (!field || !max) continue
    const update = () => {
      const used = field.value.replace(/\r\n?/g, '\n').trim().length
      counter.textContent = `${used} / ${max} characters`
      counter.classList.toggle('char-count-over', used > max)
    }
    field.addEventListener('input', update)
    update()
  }
})
