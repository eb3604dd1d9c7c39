{#-
    Nothing is dropped silently: the rows of a fresh read of the raw file equal the kept
    customers plus the rejected rows. Returns a row (a failure) when they differ.
-#}
with

raw_file as (
    select count(*) as raw_rows from {{ read_raw_customers() }}
),

kept as (
    select count(*) as kept_rows from {{ ref('stg_customers') }}
),

rejected as (
    select count(*) as rejected_rows from {{ ref('stg_customers_rejected') }}
)

select
    raw_file.raw_rows,
    kept.kept_rows,
    rejected.rejected_rows
from raw_file
cross join kept
cross join rejected
where raw_file.raw_rows != kept.kept_rows + rejected.rejected_rows
