// English for the stable error reasons (electron/shared/reasons.ts); same keys as reasons.zh-CN.ts.
export const reasonsEnUS = {
  reasons: {
    print_job: {
      not_found: 'No such print job ({{jobId}})',
      not_failed: 'Only a failed job can be retried (this one is $t(jobState.{{state}}))',
      not_cancellable: 'This job is $t(jobState.{{state}}) and cannot be cancelled',
      not_uncertain: 'This job is $t(jobState.{{state}}), not awaiting confirmation',
      not_reprintable: 'Only a printed or cancelled job can be reprinted; this one is $t(jobState.{{state}}) (confirm an unconfirmed job first; retry a failed one)',
      changed: 'The print job just changed; refresh and try again',
    },
    printer: {
      not_found: 'No such printer ({{printerId}})',
      name_taken: 'A printer named "{{name}}" already exists',
    },
    reprint: {
      reason_required: 'A reprint needs a reason (at least {{minLength}} characters)',
      limit_reached: 'This package has been reprinted {{reprints}} times; another reprint needs an owner or operator',
      not_allowed: '$t(role.{{role}}) may not reprint',
    },
    order: { not_found: 'No such order ({{id}}); it may have been deleted' },
    shop: {
      not_found: 'No such shop ({{shopId}}); it may have been deleted',
      auth_expired: "The shop's authorisation has expired; authorise it again",
      no_app_key: 'The shop has no App Key yet: add it in the shop settings first',
      no_app_secret: 'The shop has no App Secret stored yet: enter it in the shop settings first',
      authorize_expired: 'The authorisation timed out or is no longer valid; start it again',
    },
    waybill_account: { not_found: 'No such waybill account ({{accountId}})' },
  },
};
