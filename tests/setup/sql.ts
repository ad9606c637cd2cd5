// Each test file reaches getSql() as a server process does: through DATABASE_URL, which
// useAppDatabase() (or the file itself) points at its own clone before the first query.
import { configureSqlFromEnv } from '#app/utils/sql.server'

configureSqlFromEnv()
