import { primary } from '#helpers/primary'

/**
 * An outbox kept by a nullable column of the rows that owe the work
 * (`posts.fanned_out_at`, `likes.notified_at`): NULL while owed, the time
 * once done. Read and written on the primary: a replica may lack the newest.
 */
export class OutboxColumn {
  constructor(
    private table: string,
    private column: string,
    /** When the work became owed (the row's creation). */
    private since = 'created_at'
  ) {}

  /** Marks the rows done, unless another run did already. */
  async markDone(ids: number[]) {
    await primary()
      .from(this.table)
      .whereIn('id', ids)
      .whereNull(this.column)
      .update({ [this.column]: new Date() })
  }

  /** Whether a row has owed its work for longer than `seconds` (the sweeps ask). */
  async owedFor(seconds: number) {
    const row = await primary()
      .from(this.table)
      .whereNull(this.column)
      .where(this.since, '<', new Date(Date.now() - seconds * 1000))
      .select('id')
      .first()
    return Boolean(row)
  }
}
