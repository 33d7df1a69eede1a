\set n random(1, 10000)
select usage_day, limit_name, max(max_value) as max_value from usage_daily_empty where subscription_id = 'sub_bench_' || :n and usage_day >= date '2026-01-01' and usage_day < date '2027-01-01' group by usage_day, limit_name order by usage_day, limit_name;
