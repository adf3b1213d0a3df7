// drizzle-kit: generates SQL migrations from electron/core/db/schema.ts (npm run db:generate).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './electron/core/db/schema.ts',
  out: './electron/core/db/migrations',
});
