-- Two indexes every signature paid for (docs/decisions/1303-checked-sign-path-and-plain-node.md):
-- * the IP-burst flag counts signatures per IP in the UNLOGGED rate_limit_hits table
--   (countIpSignature), not by reading signatures: this index served only that read;
drop index if exists signatures_ip_hash_recent_idx;
-- * the latest signers of a campaign (listRecentSigners, never held ones) are read backwards from
--   signatures_campaign_metrics_idx (campaign_id, created_at) where not held; every other
--   per-campaign read has (campaign_id, id) or (campaign_id, supporter_id).
drop index if exists signatures_campaign_created_idx;
