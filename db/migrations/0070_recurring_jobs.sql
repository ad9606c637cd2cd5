-- Recurring jobs: one row per job, the last period a worker claimed it in. Claiming is one
-- conditional upsert, so among any number of workers exactly one runs a job per period
-- (docs/decisions/0800-scheduled-and-recurring-jobs.md).
create table recurring_jobs (
  name text primary key,
  last_started_at timestamptz not null,
  last_finished_at timestamptz,
  last_worker text,
  last_error text
);
