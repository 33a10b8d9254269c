/**
 * Text from users printed on an admin's terminal: control characters
 * (ESC sequences can clear the screen, retitle the window or fake output),
 * C1 controls and bidi overrides are shown as visible escapes instead of
 * being obeyed. Rows stored before validation refused them still print safely.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu

const escape = (char: string) => `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`

export function printable(text: string) {
  return text.replace(UNSAFE, escape)
}

/** JSON for scripts; JSON.stringify leaves C1 controls and bidi marks raw. */
export function printableJson(value: unknown) {
  return JSON.stringify(value).replace(UNSAFE, escape)
}
