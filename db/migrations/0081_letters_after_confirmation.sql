-- Supporter safety (issue 13): a campaign may send letters only after the writer confirms their
-- email. Such a letter waits (awaiting_confirmation) until the confirmation link is used; its
-- deliveries still waiting 7 days after they were created end `cancelled` (reason not_confirmed).
alter table campaigns add column letter_requires_confirmation boolean not null default false;

alter table letters add column awaiting_confirmation boolean not null default false;
create index letters_awaiting_confirmation_idx on letters (supporter_id) where awaiting_confirmation;
