-- Trust & safety: the burst flag counts a signer IP's recent signatures, and the review page
-- lists held ones (docs/decisions/0601-bot-defenses.md).
create index signatures_ip_hash_recent_idx on signatures (ip_hash, created_at)
  where ip_hash is not null;
create index signatures_held_idx on signatures (created_at) where held;
