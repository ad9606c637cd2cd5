-- writ:no-transaction
-- Dashboard signatures-per-day across all campaigns (index-only range scan on created_at).
create index concurrently if not exists signatures_created_metrics_idx
  on signatures (created_at) include (confirmed_at) where not held;
