-- Issue 18: the overage allowance a subscription grants per limit (limit name -> whole percent, JSON),
-- signed into every license issued from it as [license.overage_percent]. Written by the subscription
-- module (SubscriptionService.setOveragePercent); an empty object grants none.
alter table subscriptions add column overage_percent varchar(2000) default '{}' not null;
