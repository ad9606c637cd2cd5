// npm run data:import -- [--from DIR|URL] [--quiet]
import { parseArgs } from 'node:util'
import { formatDiff, importReferenceData } from './import.server'

const { values } = parseArgs({
  options: { from: { type: 'string' }, quiet: { type: 'boolean', default: false } },
})

const started = Date.now()
const log = (message: string) => {
  if (!values.quiet) console.error(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`)
}

try {
  const report = await importReferenceData({ from: values.from, onProgress: log })
  console.log(`\nImport #${report.importId} from ${report.source}`)
  console.log(
    `Data as of: Congress ${report.sourceDates.congress}, ZIP districts ${report.sourceDates.zipDistricts}` +
      (report.sourceDates.openStates ? `, Open States ${report.sourceDates.openStates}` : ''),
  )
  console.log(
    `${report.counts.congressMembers} members of Congress, ${report.counts.stateLegislators} state legislators, ` +
      `${report.counts.offices} seats (${report.counts.vacantOffices} vacant), ${report.counts.zctas} ZIPs`,
  )
  if (report.badRows.length) {
    console.log(`\n${report.badRows.length} bad row(s) skipped:`)
    for (const b of report.badRows.slice(0, 20)) {
      console.log(`  ${b.source} row ${b.row}${b.id ? ` (${b.id})` : ''}: ${b.error}`)
    }
  }
  console.log(`\n${report.changed ? formatDiff(report.diff) : 'Nothing changed.'}`)
  if (report.reportFile) console.log(`\nReport: ${report.reportFile}`)
  process.exit(0)
} catch (error) {
  console.error(`Import failed: ${(error as Error).message}`)
  process.exit(1)
}
