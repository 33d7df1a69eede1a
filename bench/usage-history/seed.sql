-- A fleet of 10,000 installations (one subscription each) checking in twice a day for a year, as the
-- usage history stores it: the daily maxima of two limits for 365 days (7.3 M rows), and the raw reports
-- of the last 90 days (the default retention: 1.8 M rows). Rows go in day by day, all installations each
-- day, as check-ins do: a subscription's year is spread over the table, not stored together.
\set ON_ERROR_STOP on
insert into usage_daily (subscription_id, usage_day, limit_name, installation_id, max_value)
select 'sub_bench_' || s, date '2026-01-01' + d, l.name, 'inst_bench_' || s,
       100 + (s % 400) + (d * 7 + s) % 23 + l.extra
from generate_series(0, 364) d, generate_series(1, 10000) s,
     (values ('users', 0), ('devices', 1000)) l(name, extra)
order by d, s;

insert into usage_reports (subscription_id, license_id, installation_id, node, reported_at, usage)
select 'sub_bench_' || s, 'lic_bench_' || s, 'inst_bench_' || s, null,
       timestamptz '2026-10-03 00:00:00+00' + d * interval '1 day' + h * interval '12 hours' + s * interval '4 seconds',
       '{"users":' || (100 + s % 400) || ',"devices":' || (1100 + s % 400) || '}'
from generate_series(0, 89) d, generate_series(0, 1) h, generate_series(1, 10000) s
order by d, h, s;
