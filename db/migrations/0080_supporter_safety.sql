-- Supporter safety (issue 13).

-- A delivery can end `cancelled`: its letter's signature was deleted in review, its writer was
-- erased, or it waited for an email confirmation that never came. Final, never sent.
alter table deliveries drop constraint deliveries_status_check;
alter table deliveries add constraint deliveries_status_check
  check (status in ('queued', 'sending', 'delivered', 'failed', 'awaiting_hand_delivery', 'cancelled'));

-- A letter is held by its own state, not through its signature: deleting a held signature
-- (letters.signature_id is `on delete set null`) must not release the letter.
alter table letters add column held boolean not null default false;
update letters l set held = true from signatures s where s.id = l.signature_id and s.held;
create index letters_held_idx on letters (created_at) where held;
