import { getSql } from '#db/client'
import { campaignTotals, signaturesPerDay } from '#db/queries/metrics'

export async function getDashboard({ days = 14 }: { days?: number } = {}) {
  const sql = getSql()
  const [campaigns, perDay] = await Promise.all([campaignTotals(sql), signaturesPerDay(sql, days)])
  return { campaigns, perDay }
}
