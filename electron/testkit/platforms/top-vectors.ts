// The published TOP signing vector TB4 (docs/platforms/taobao.md#requests, [COMPUTED]): one copy of the
// notes' data for the adapter's signer test and the sandbox's, each checked against the notes' value,
// never against the other's code.
export const TB4: Readonly<Record<string, string>> = {
  app_key: '12345678',
  end_modified: '2024-03-01 10:30:00',
  fields: 'tid,status,modified',
  format: 'json',
  method: 'taobao.trades.sold.increment.get',
  page_no: '1',
  page_size: '50',
  session: '6100a2b3c',
  sign_method: 'md5',
  start_modified: '2024-03-01 10:00:00',
  timestamp: '2024-03-01 10:31:00',
  use_has_next: 'true',
  v: '2.0',
};
/** TB4 signed with secret `testsecret`. */
export const TB4_SIGN = '9908D55D6D996A96BA5ADCC8FC5BEA33';
