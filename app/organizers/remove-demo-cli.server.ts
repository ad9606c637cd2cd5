// `npm run organizer:remove-demo`: deletes the demo owner (demo@writ.localhost), whose password
// is published, so that `npm run serve` will start on this database. Its sessions go with it;
// campaigns and audit entries it made keep their rows with no author.
import { createSql } from '#db/client'
import { deleteOrganizerByEmail } from '#db/queries/organizers'
import { getEnv } from '#app/utils/env.server'
import { DEMO_ORGANIZER } from './organizers.server'

const sql = createSql(getEnv().DATABASE_URL, { max: 1, applicationName: 'writ-cli' })
try {
  const removed = await deleteOrganizerByEmail(sql, DEMO_ORGANIZER.email)
  console.log(
    removed
      ? `Removed the demo organizer ${DEMO_ORGANIZER.email}.`
      : `No demo organizer (${DEMO_ORGANIZER.email}) in this database.`,
  )
} finally {
  await sql.end()
}
