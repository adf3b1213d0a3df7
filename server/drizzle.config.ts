// drizzle-kit for the hub: generates the PostgreSQL migrations from server/db/schema.ts into the one
// history both engines run (PGlite and PostgreSQL):
//   npx drizzle-kit generate --config server/drizzle.config.ts
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema.ts',
  out: './server/db/migrations',
});
