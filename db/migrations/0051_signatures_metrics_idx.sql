-- Covering partial indexes for the dashboard (index-only scans once autovacuum has run):
-- per-campaign totals and per-day counts, and per-day counts across campaigns.
-- See docs/decisions/0503-dashboard-queries.md. Built in a transaction (not CONCURRENTLY): a
-- `-- writ:no-transaction` migration deadlocks with a second migrator that is waiting for the lock
-- inside its transaction (CREATE INDEX CONCURRENTLY waits for that transaction to end).
create index signatures_campaign_metrics_idx
  on signatures (campaign_id, created_at) include (confirmed_at) where not held;
create index signatures_created_metrics_idx
  on signatures (created_at) include (confirmed_at) where not held;
