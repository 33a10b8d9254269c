const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text made safe for HTML, in an element or a quoted attribute. */
export function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char])
}

/** "1 like", "3 comments": a count with its noun, plural past one. */
export function counted(count: number, thing: string) {
  return `${count} ${thing}${count === 1 ? '' : 's'}`
}
