// The key under which createCore leaves the station's connection on the Core it returns, for the
// testkit alone (electron/testkit/station-db.ts testDbOf: tests that set rows up or read them back
// where no API method does). Core itself has no database: the hosts, the CLI and the scripts reach
// the data through core.call. The boundary lint lets only electron/core/app.ts and electron/testkit
// import this module.
export const STATION_DB_FOR_TESTS: unique symbol = Symbol('shopfleet.stationDbForTests');
