// Progressive enhancements; every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // After a failed submit, put the keyboard on the first field in error.
  const invalid = document.querySelector('[aria-invalid="true"]')
  if (invalid) invalid.focus()

  // Preview a chosen profile picture before it is uploaded.
  const input = document.querySelector('input[type="file"][name="profile_picture"]')
  const preview = input && input.closest('.picture-field')?.querySelector('img.avatar')
  if (input && preview) {
    input.addEventListener('change', () => {
      const [file] = input.files
      if (file && file.type.startsWith('image/')) {
        preview.src = URL.createObjectURL(file)
        preview.alt = 'Preview of the new profile picture'
      }
    })
  }
})
