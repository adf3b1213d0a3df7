// Simplified Chinese for the stable error reasons (electron/shared/reasons.ts), keyed by reason with
// its details interpolated. Spread into zh-CN.ts; en-US has the same keys (reasons.en-US.ts).
export const reasonsZhCN = {
  reasons: {
    print_job: {
      not_found: '没有这个打印任务（{{jobId}}）',
      not_failed: '只能重试失败的任务（这个任务$t(jobState.{{state}})）',
      not_cancellable: '这个任务$t(jobState.{{state}})，不能取消',
      not_uncertain: '这个任务$t(jobState.{{state}})，不是待确认',
      not_reprintable: '只能重打已打印或已取消的任务，这个任务$t(jobState.{{state}})（待确认的任务请先确认是否已打印，失败的任务请用重试）',
      changed: '打印任务的状态刚刚变了，请刷新后再试',
    },
    printer: {
      not_found: '没有这台打印机（{{printerId}}）',
      name_taken: '已有名为「{{name}}」的打印机',
    },
    reprint: {
      reason_required: '重打需要填写原因（至少 {{minLength}} 个字）',
      limit_reached: '这个包裹已重打 {{reprints}} 次，再重打需要店主或运营操作',
      not_allowed: '$t(role.{{role}})不能重打',
    },
    order: { not_found: '没有这个订单（{{id}}），它可能已被删除' },
    shop: {
      not_found: '没有这个店铺（{{shopId}}），它可能已被删除',
      auth_expired: '店铺授权已过期，请重新授权',
      no_app_key: '店铺还没有 App Key：请先在店铺设置里填写',
      no_app_secret: '店铺还没有保存 App Secret：请先在店铺设置里填写',
      authorize_expired: '授权已超时或会话无效，请重新开始授权',
    },
    waybill_account: { not_found: '没有这个面单账号（{{accountId}}）' },
  },
};
