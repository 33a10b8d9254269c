import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { Reports } from '#services/moderation/reports'
import { createReportValidator, reportedTarget } from '#validators/report'
import { wantsJson } from '#helpers/request'

export default class ReportsController {
  /**
   * POST /api/reports and POST /reports (the report forms): a signed-in,
   * confirmed member reports a post or a user they can see.
   */
  @inject()
  async store(ctx: HttpContext, reports: Reports) {
    const { reason, note, ...ids } = await ctx.request.validateUsing(createReportValidator)
    const report = await reports.create(ctx.auth.getUserOrFail(), {
      target: reportedTarget(ids),
      reason,
      note,
    })

    if (wantsJson(ctx)) return ctx.response.created({ id: report.id, status: report.status })
    return ctx.response.redirect().toRoute('reports.thanks')
  }
}
