-- A message per target group (issue 14 §3, docs/decisions/0904-letter-groups.md), and the holder
-- each delivery was addressed to, so the worker can re-address it at send time (§4, ADR 0905).

-- Each locale's copy holds, besides the constituent letter (letter_subject / letter_body), the
-- organization's letter to named officials and the thank-you letter to the listed legislators.
-- The thank-you list itself is target_config.thanks (bioguide ids).
alter table campaign_copy
  add column officials_subject text,
  add column officials_body text,
  add column thanks_subject text,
  add column thanks_body text;

-- How the letter greets a named official, e.g. 'Dear Mr. or Madam Secretary' ({{salutation}}).
alter table custom_targets
  add column salutation text check (salutation is null or length(salutation) <= 200);

-- Which group's copy a delivery carries, and the person it was addressed to (legislators.id; null
-- for named officials). A delivery whose office now has another holder is re-addressed.
alter table deliveries
  add column copy_group text check (copy_group in ('constituent', 'officials', 'thanks')),
  add column holder_id text;

-- Deliveries not yet sent were addressed to the office's holder of the day: today's holder.
update deliveries d set holder_id = o.holder_id
from offices o
where o.id = d.office_key and d.status in ('queued', 'sending', 'awaiting_hand_delivery')
  and d.packet_id is null;
