-- How did the last campaign convert in an A/B split, overall and per segment? An
-- example experiment built from the customers mart: each customer is assigned to A or
-- B by the hash of their id (deterministic for a DuckDB version) and converted when
-- they accepted the last campaign. With no real treatment the lifts should be noise:
-- most p-values large, no segment significant. Compile with
-- `dbt compile --select ab_test_example` and run the SQL on the built file; for a real
-- experiment, point ab_test_results at its (customer_id, variant, converted) table.
-- customers_needed_per_variant: how many customers per arm a test would need to
-- detect a 20% relative lift over each row's control conversion rate.
with

customers as (
    select * from {{ ref('customers') }}
),

campaign_experiment as (
    select
        customer_id,
        case when hash(customer_id) % 2 = 0 then 'A' else 'B' end as variant,
        accepted_last_campaign = 1 as converted
    from customers
),

campaign_results as (
    {{ ab_test_results('campaign_experiment', control='A', treatment='B') }}
),

with_sample_sizes as (
    select
        *,
        {{ ab_sample_size('control_conversion_rate', 0.2) }}
            as customers_needed_per_variant
    from campaign_results
)

select * from with_sample_sizes
order by segment = 'All' desc, segment
