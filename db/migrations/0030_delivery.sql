-- Letters & delivery (0030-0039). See docs/decisions/0300-delivery-engine.md.

-- Each office gets its own copy of the letter: merge fields ({{targetName}} …) render per office,
-- and the copy that went out is the evidence of what was sent.
alter table deliveries
  add column subject text,
  add column body text;

-- Which attempt an event belongs to (null for transitions that are not attempts).
alter table delivery_events add column attempt integer;

-- Print/fax packets: the letters for one office that no channel reaches, handed over by an
-- organizer, who then marks the packet delivered.
create table delivery_packets (
  id uuid primary key default gen_random_uuid(),
  office_key text not null,
  office_name text not null,
  office_title text not null,
  letter_count integer not null check (letter_count > 0),
  created_by uuid references organizers (id) on delete set null,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  delivered_by uuid references organizers (id) on delete set null,
  delivery_note text
);
create index delivery_packets_office_idx on delivery_packets (office_key, created_at desc);

alter table deliveries
  add constraint deliveries_packet_fk foreign key (packet_id) references delivery_packets (id)
  on delete set null;
create index deliveries_packet_idx on deliveries (packet_id) where packet_id is not null;

-- Letters still owed a receipt (the worker sweeps these; the set stays small).
create index letters_receipt_pending_idx on letters (created_at) where receipt_sent_at is null;
