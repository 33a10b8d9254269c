import drive from '@adonisjs/drive/services/main'
import { dispatchJob, QueuedJob } from '#jobs/bull_adapter'

export interface DeleteAccountFilesPayload {
  userId: number
  /** Drive keys of what the account uploaded (pictures, post images). */
  files: string[]
}

/**
 * Removes a deleted account's files through Drive, off the request: the
 * account is already gone. Deleting a missing file is no error, so a
 * retried or repeated job is harmless.
 */
export default class DeleteAccountFiles extends QueuedJob<DeleteAccountFilesPayload> {
  static jobName = 'DeleteAccountFiles'

  static dispatch(payload: DeleteAccountFilesPayload) {
    return dispatchJob(this, payload, { jobId: `delete-files-${payload.userId}-${Date.now()}` })
  }

  async handle({ files }: DeleteAccountFilesPayload) {
    const disk = drive.use()
    for (const key of files) {
      await disk.delete(key)
    }
  }
}
