-- Donations through Stripe. See docs/decisions/0400-donations-model-and-fake-stripe.md.
-- A donations row is one charge: a one-time gift is one Checkout Session, a monthly charge is one
-- invoice (stripe_invoice_id is already unique). These keys make each webhook's effect idempotent
-- under concurrent and repeated delivery.
alter table donations
  add column fee_cover_cents integer not null default 0 check (fee_cover_cents >= 0),
  add column amount_refunded_cents integer not null default 0 check (amount_refunded_cents >= 0),
  add column locale text not null default 'en' check (locale in ('en', 'es')),
  add column refunded_at timestamptz,
  add column failed_at timestamptz;

create unique index donations_one_time_session_key
  on donations (stripe_checkout_session_id) where not recurring;
create index donations_payment_intent_idx
  on donations (stripe_payment_intent_id) where stripe_payment_intent_id is not null;
create index donations_supporter_idx on donations (supporter_id);

-- A monthly gift (one Stripe subscription). Its charges are rows in donations.
create table donation_subscriptions (
  stripe_subscription_id text primary key,
  stripe_customer_id text not null,
  campaign_id uuid references campaigns (id) on delete set null,
  supporter_id uuid references supporters (id) on delete set null,
  amount_cents integer not null check (amount_cents > 0),
  currency text not null default 'usd' check (currency = lower(currency)),
  -- canceled is terminal: a late event never revives a canceled gift
  status text not null check (status in ('active', 'canceled')),
  source text,
  ref text,
  locale text not null default 'en' check (locale in ('en', 'es')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  canceled_at timestamptz
);
create index donation_subscriptions_supporter_idx on donation_subscriptions (supporter_id);
create index donation_subscriptions_customer_idx on donation_subscriptions (stripe_customer_id);
create index donation_subscriptions_campaign_idx on donation_subscriptions (campaign_id, status);
