-- writ:no-transaction
-- Dashboard per-campaign totals and per-day counts read only this index (index-only scans):
-- see docs/decisions/0503-dashboard-queries.md.
create index concurrently if not exists signatures_campaign_metrics_idx
  on signatures (campaign_id, created_at) include (confirmed_at) where not held;
