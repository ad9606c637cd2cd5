-- The IP-burst flag counts signatures per IP in the UNLOGGED rate_limit_hits table
-- (countIpSignature, docs/decisions/1303-checked-sign-path.md), not by reading signatures: this
-- index served only that read, and every signature paid for it.
drop index if exists signatures_ip_hash_recent_idx;
