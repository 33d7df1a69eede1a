-- Billing (issue 7): Stripe events as received, the subscription's payment standing, and what a
-- customer's renewal request carries. Same SQL on PostgreSQL and H2.

-- Every Stripe event ever received, by its id: a redelivery finds its row and changes nothing.
create table stripe_events (
  id                     varchar(100) primary key,
  type                   varchar(100) not null,
  created                timestamp with time zone not null,
  received_at            timestamp with time zone not null,
  stripe_customer_id     varchar(100),
  stripe_subscription_id varchar(100),
  subscription_id        varchar(40),
  outcome                varchar(20)  not null,
  note                   varchar(2000),
  payload                text         not null
);
create index stripe_events_outcome on stripe_events (outcome, received_at);

-- Payment failing since (null: payments are fine); the creation time of the newest Stripe event
-- applied per kind, so an older event arriving late changes nothing; the Stripe price the
-- subscription is on, and a downgrade waiting for the next period.
alter table subscriptions add column payment_failing_since timestamp with time zone;
alter table subscriptions add column stripe_paid_event_at timestamp with time zone;
alter table subscriptions add column stripe_failed_event_at timestamp with time zone;
alter table subscriptions add column stripe_subscription_event_at timestamp with time zone;
alter table subscriptions add column stripe_price_id varchar(100);
alter table subscriptions add column pending_stripe_price_id varchar(100);
alter table subscriptions add column pending_stripe_quantity bigint;
create index subscriptions_stripe_subscription on subscriptions (stripe_subscription_id);
create index subscriptions_stripe_customer on subscriptions (stripe_customer_id);

-- What the product's Renew button sends along (contact, message, instance), as JSON.
alter table renewal_requests add column details text;
alter table renewal_requests add column tier varchar(64);
alter table renewal_requests add column expires_at timestamp with time zone;
alter table renewal_requests add column closed_by varchar(300);
