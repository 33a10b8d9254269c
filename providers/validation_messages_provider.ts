import vine from '@vinejs/vine'
import { RequestValidator } from '@adonisjs/core/http'
import { HumanMessagesProvider } from '#validators/messages'

/**
 * Every validator speaks with the same human messages (app/validators/
 * messages.ts): those compiled from now on, and every `validateUsing` of a
 * request. Set while the app boots, so before any command or test imports
 * a validator module.
 */
export default class ValidationMessagesProvider {
  boot() {
    const messages = new HumanMessagesProvider()
    vine.messagesProvider = messages
    RequestValidator.messagesProvider = () => messages
  }
}
