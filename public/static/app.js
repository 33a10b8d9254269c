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
