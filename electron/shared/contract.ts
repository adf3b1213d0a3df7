// The API contract, kept at its old address: the declarations live per domain in
// electron/shared/api/<domain>.ts and are merged by electron/shared/api/index.ts.
export * from './api/index.ts';
