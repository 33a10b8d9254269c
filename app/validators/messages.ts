import type { FieldContext, MessagesProviderContact } from '@vinejs/vine/types'
import { counted } from '#helpers/text'
import { PASSWORD_IS_USERNAME } from '#validators/account'

/**
 * Validation messages a person would write, for every rule Vine, Lucid
 * (`database.*`) and AdonisJS (`file.*`) report, in every form and in the
 * API's `{errors}`. Set once for the whole app (providers/
 * validation_messages_provider.ts), so a new validator needs nothing to get
 * them. `field` and `rule` in API errors stay Vine's own names.
 *
 * A field is named the way people read it: `first_name` is "first name",
 * unless LABELS says better. A message for one field and rule
 * (`username.regex`) wins over the rule's general one.
 */
const LABELS: Record<string, string> = {
  uid: 'username or email',
  email: 'email address',
  bio: 'bio',
  q: 'search',
  receiver_id: 'person to send the request to',
  ids: 'notifications',
  limit: 'page size',
  before: 'page position',
}

type Args = Record<string, any>
type Message = (label: string, args: Args) => string

/** "a page size", "an audience". */
const aOrAn = (noun: string) => (/^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`)
const chars = (count: number) => counted(count, 'character')
const items = (count: number) => counted(count, 'item')
const size = (value: unknown) =>
  typeof value === 'number' ? `${Math.round(value / 1024 / 1024)} MB` : String(value).toUpperCase()
const list = (values: unknown) =>
  Array.isArray(values) ? values.map(String).join(', ') : String(values ?? '')

const RULES: Record<string, Message> = {
  'required': (f) => `Please fill in the ${f}`,
  'string': (f) => `The ${f} must be text`,
  'email': () => 'Enter a valid email address, like name@example.com',
  'regex': (f) => `The ${f} is not in the expected format`,
  'minLength': (f, a) =>
    a.min <= 1 ? `Please fill in the ${f}` : `The ${f} needs at least ${chars(a.min)}`,
  'maxLength': (f, a) => `The ${f} can be at most ${chars(a.max)} long`,
  'fixedLength': (f, a) => `The ${f} must be exactly ${chars(a.size)} long`,
  'notEmpty': (f) => `Please fill in the ${f}`,
  'confirmed': (f) => `The ${f} and its confirmation do not match`,
  'sameAs': (f, a) => `The ${f} must match the ${label(a.otherField)}`,
  'notSameAs': (f, a) => `The ${f} must not be the same as the ${label(a.otherField)}`,
  'in': (f, a) => `Choose ${aOrAn(f)} from: ${list(a.choices ?? a.values)}`,
  'notIn': (f) => `This ${f} is not allowed, please choose another`,
  'enum': (f, a) => `Choose ${aOrAn(f)} from: ${list(a.choices)}`,
  'literal': (f, a) => `The ${f} must be ${a.expectedValue}`,
  'accepted': (f) => `Please accept the ${f}`,
  'boolean': (f) => `The ${f} must be yes or no`,
  'number': (f) => `The ${f} must be a number`,
  'withoutDecimals': (f) => `The ${f} must be a whole number`,
  'decimal': (f, a) => `The ${f} must have ${a.digits} decimal places`,
  'min': (f, a) => `The ${f} must be ${a.min} or more`,
  'max': (f, a) => `The ${f} must be ${a.max} or less`,
  'range': (f, a) => `The ${f} must be from ${a.min} to ${a.max}`,
  'positive': (f) => `The ${f} must be more than zero`,
  'negative': (f) => `The ${f} must be less than zero`,
  'nonNegative': (f) => `The ${f} must be zero or more`,
  'nonPositive': (f) => `The ${f} must be zero or less`,
  'url': (f) => `Enter a full web address for the ${f}, starting with https://`,
  'activeUrl': (f) => `The ${f} must be a web address that exists`,
  'alpha': (f) => `The ${f} may only contain letters`,
  'alphaNumeric': (f) => `The ${f} may only contain letters and digits`,
  'ascii': (f) => `The ${f} may only contain plain Latin letters, digits and punctuation`,
  'startsWith': (f, a) => `The ${f} must start with "${a.substring}"`,
  'endsWith': (f, a) => `The ${f} must end with "${a.substring}"`,
  'uuid': (f) => `The ${f} is not a valid identifier`,
  'ulid': (f) => `The ${f} is not a valid identifier`,
  'ipAddress': (f) => `Enter a valid IP address for the ${f}`,
  'mobile': (f) => `Enter a valid mobile phone number for the ${f}`,
  'postalCode': (f) => `Enter a valid postal code for the ${f}`,
  'hexCode': (f) => `The ${f} must be a colour code like #1a2b3c`,
  'object': (f) => `The ${f} is not in the expected shape`,
  'record': (f) => `The ${f} is not in the expected shape`,
  'array': (f) => `The ${f} must be a list`,
  'tuple': (f) => `The ${f} must be a list`,
  'array.minLength': (f, a) => `Choose at least ${items(a.min)} for the ${f}`,
  'array.maxLength': (f, a) => `Choose at most ${items(a.max)} for the ${f}`,
  'array.fixedLength': (f, a) => `Choose exactly ${items(a.size)} for the ${f}`,
  'distinct': (f) => `The ${f} has the same entry twice`,
  'union': (f) => `The ${f} is not valid`,
  'unionGroup': (f) => `The ${f} is not valid`,
  'unionOfTypes': (f) => `The ${f} is not valid`,
  'date': (f) => `Enter a valid date for the ${f}`,
  'date.equals': (f, a) => `The ${f} must be ${a.expectedValue}`,
  'date.after': (f, a) => `The ${f} must be after ${a.expectedValue}`,
  'date.afterOrEqual': (f, a) => `The ${f} must be on or after ${a.expectedValue}`,
  'date.before': (f, a) => `The ${f} must be before ${a.expectedValue}`,
  'date.beforeOrEqual': (f, a) => `The ${f} must be on or before ${a.expectedValue}`,
  'date.weekend': (f) => `The ${f} must fall on a weekend`,
  'date.weekday': (f) => `The ${f} must fall on a weekday`,
  'file': (f) => `Choose a file for the ${f}`,
  'file.size': (f, a) => `The ${f} is too large${a.size ? `: at most ${size(a.size)}` : ''}`,
  'file.extname': (f, a) =>
    `The ${f} must be one of these kinds of file: ${list(a.extnames)}`.replace(/: $/, ''),
  'nativeFile': (f) => `Choose a file for the ${f}`,
  'nativeFile.maxSize': (f) => `The ${f} is too large`,
  'nativeFile.minSize': (f) => `The ${f} is too small`,
  'nativeFile.mimeTypes': (f) => `The ${f} is not a kind of file we accept`,
  'controlCharacters': (f, a) =>
    a.direction
      ? `The ${f} must not contain characters that change the direction of text (found ${a.character})`
      : `The ${f} must not contain control characters${a.multiline ? ' other than line breaks and tabs' : ''} (found ${a.character})`,
  'hangulFillers': (f, a) =>
    `The ${f} must not contain Hangul filler characters, which show as blank space (found ${a.character})`,
  'invisibleCharacters': (f, a) =>
    `The ${f} must not contain invisible characters such as zero-width spaces (found ${a.character})`,
  'brokenCharacters': (f, a) =>
    `The ${f} contains half of a character, which cannot be stored (found ${a.character})`,
  'database.unique': (f) => `This ${f} is already taken`,
  'database.exists': (f) => `We could not find that ${f}`,
}

/** Messages for one field and rule, where the general one says too little. */
const FIELD_RULES: Record<string, Message> = {
  'username.regex': () => 'The username may only contain letters, digits and . + - _',
  'email.database.unique': () => 'An account with this email address already exists',
  'password.notSameAs': () => PASSWORD_IS_USERNAME,
  'friends_visible.enum': (_, a) => `Choose who sees the friend list from: ${list(a.choices)}`,
}

/** How people read a field's name: LABELS, else `first_name` → "first name". */
export function label(name: unknown): string {
  const key = String(name ?? '')
  return LABELS[key] ?? key.replace(/_id$/, '').replace(/[_.]+/g, ' ').trim()
}

/** Replaces `{{ field }}`-style placeholders in a message no rule above knows. */
function interpolate(template: string, values: Args) {
  return template.replace(/{{\s*(\w+)\s*}}/g, (_, key) => String(values[key] ?? ''))
}

export class HumanMessagesProvider implements MessagesProviderContact {
  getMessage(rawMessage: string, rule: string, field: FieldContext, args: Args = {}) {
    // An array item is named after its list.
    const name =
      typeof field.name === 'number'
        ? (field.wildCardPath.split('.').at(-2) ?? '')
        : String(field.name)
    return humanMessage(name, rule, args, rawMessage)
  }
}

/** The message for a field and rule, also for errors raised outside Vine. */
export function humanMessage(
  name: string,
  rule: string,
  args: Args = {},
  rawMessage = 'The {{ field }} is not valid'
) {
  // A rule of ours that words its own message for this one case passes it as `wording`.
  if (typeof args.wording === 'string') return args.wording
  const message = FIELD_RULES[`${name}.${rule}`] ?? RULES[rule]
  if (message) return message(label(name), args)
  return interpolate(rawMessage, { ...args, field: label(name) })
}
