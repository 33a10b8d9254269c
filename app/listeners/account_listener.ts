import type { UserEvent } from '#events/domain_events'
import DeleteAccountFiles from '#jobs/delete_account_files'

/**
 * What follows a deleted account once its rows are gone: its files are
 * removed by a job (the worker), not by the request.
 */
export default class AccountListener {
  async deleteFiles({ userId, files }: UserEvent & { files: string[] }) {
    // The account is gone either way; with Redis away its files stay (logged).
    if (files.length) await DeleteAccountFiles.dispatch({ userId, files })
  }
}
