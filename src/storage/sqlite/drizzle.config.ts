// drizzle-kit reads this for `bun run db:generate`; after generating, run
// `bun src/storage/sqlite/gen-migrations.ts` so the executable embeds the new SQL.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  // Other modules add tables in their own schema-<noun>.ts beside this one.
  schema: ["./src/storage/sqlite/schema*.ts", "./src/storage/sqlite/*/schema.ts"],
  out: "./migrations/sqlite",
});
